package io.celerypgmq.bridge.move;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.PayloadTemplate;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteTable;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

@RealBackends
class ReverseMoverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private JedisPooled redis;
    private MoverHarness h;
    private String queue;

    @BeforeEach
    void setUp(TestPostgres pg, TestRedis backend) {
        redis = RedisConnections.open(backend.url());
        redis.flushDB();
        h = new MoverHarness(pg, redis);
        queue = "rev_" + UUID.randomUUID().toString().substring(0, 8);
        h.pgmq.create(QueueName.of(queue));
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private MoverHarness.ReversePump reversePump(Map<String, PayloadTemplate> templates) {
        return h.reversePump(queue, "celery", templates);
    }

    /** A welcome email sent by Celery and bridged to {@code queue} in the {@code task} format; its original bytes. */
    private byte[] bridged(String email, String name) {
        h.routes.set(new RouteTable(
                List.of(new Route("send_welcome_email", RouteMode.PGMQ, 100, queue, PayloadFormat.TASK)), 1));
        byte[] original = TestMessages.task("send_welcome_email", email, name);
        redis.lpush("celery".getBytes(StandardCharsets.UTF_8), original);
        h.drain(h.pump("fwd"));
        return original;
    }

    private List<byte[]> list(String key) {
        return redis.lrange(key.getBytes(StandardCharsets.UTF_8), 0, -1);
    }

    private long remaining() throws SQLException {
        return Long.parseLong(
                h.strings("SELECT count(*)::text FROM pgmq.q_" + queue).get(0));
    }

    @Test
    void aBridgedMessageGoesBackAsItWasWithANewDeliveryTagAndIsArchived() throws SQLException {
        byte[] original = bridged("ada@example.com", "Ada");

        reversePump(Map.of()).runOnce();

        List<byte[]> pushed = list("celery");
        assertThat(pushed).hasSize(1);
        long msgId = Long.parseLong(
                h.strings("SELECT msg_id::text FROM pgmq.a_" + queue).get(0));
        String newTag = MessageRebuilder.returnedTag(queue, msgId).toString();
        assertThat(TestMessages.deliveryTag(pushed.get(0))).isEqualTo(newTag);
        assertThat(new String(pushed.get(0), StandardCharsets.UTF_8))
                .isEqualTo(new String(original, StandardCharsets.UTF_8)
                        .replace(TestMessages.deliveryTag(original), newTag));
        assertThat(remaining()).isZero();
    }

    @Test
    void theEnvelopeCopyIsKeptInTheLedgerRowNotInThePgmqHeaders() throws SQLException {
        byte[] original = bridged("ada@example.com", "Ada");

        assertThat(h.strings("SELECT (headers->'x-celery-envelope' IS NOT NULL)::text FROM pgmq.q_" + queue))
                .containsExactly("false");
        assertThat(h.strings("SELECT convert_from(envelope, 'UTF8') FROM celery_pgmq.ledger WHERE identity = '"
                        + TestMessages.deliveryTag(original) + "'"))
                .containsExactly(new String(original, StandardCharsets.UTF_8));
    }

    @Test
    void aKeptEnvelopeThatCannotGoBackIsQuarantinedAsTheEnvelopeCopy() throws SQLException {
        byte[] original = bridged("ada@example.com", "Ada");
        // the copy lost its body encoding and content type: no worker could read it, so it must not go back
        String broken =
                new String(original, StandardCharsets.UTF_8).replace("\"content-type\"", "\"was-content-type\"");
        h.sql("UPDATE celery_pgmq.ledger SET envelope = convert_to('" + broken.replace("'", "''") + "', 'UTF8')"
                + " WHERE identity = '" + TestMessages.deliveryTag(original) + "'");

        reversePump(Map.of()).runOnce();

        assertThat(list("celery")).isEmpty();
        // the pump did not read the pgmq message (the copy was all a rebuild needed): it quarantines the copy
        assertThat(h.strings("SELECT reason || ': ' || convert_from(raw, 'UTF8') FROM celery_pgmq.quarantine"
                        + " WHERE source_key = 'pgmq:" + queue + "'"))
                .containsExactly("UNREVERSIBLE: " + broken);
        assertThat(remaining()).isZero();
        assertThat(h.strings("SELECT count(*)::text FROM pgmq.a_" + queue)).containsExactly("1");
    }

    @Test
    void aMessageCarryingTheEnvelopeInTheOldHeaderStillGoesBackAsItWas() throws SQLException {
        byte[] original = TestMessages.task("send_welcome_email", "grace@example.com", "Grace");
        String envelope = new String(original, StandardCharsets.UTF_8);
        // as earlier builds wrote it: no ledger envelope for this identity, the copy in x-celery-envelope
        com.fasterxml.jackson.databind.node.ObjectNode headers = JSON.createObjectNode()
                .put("x-celery-identity", "legacy-" + TestMessages.deliveryTag(original))
                .put("x-celery-task", "send_welcome_email")
                .put("x-celery-format", "task")
                .put("x-celery-envelope", envelope);
        long msgId = h.pgmq.send(
                QueueName.of(queue),
                "{\"task\": \"send_welcome_email\", \"args\": [], \"kwargs\": {}}",
                headers.toString(),
                Delay.none());

        reversePump(Map.of()).runOnce();

        String newTag = MessageRebuilder.returnedTag(queue, msgId).toString();
        assertThat(list("celery")).singleElement().satisfies(pushed -> assertThat(
                        new String(pushed, StandardCharsets.UTF_8))
                .isEqualTo(envelope.replace(TestMessages.deliveryTag(original), newTag)));
        assertThat(remaining()).isZero();
    }

    @Test
    void aKombuEnvelopeAProducerOnPgmqPublishedGoesBackByItsShapeWithoutOurHeaders() throws Exception {
        byte[] original = TestMessages.task("send_welcome_email", "ada@example.com", "Ada");
        // as kombu's pgmq transport stores it: the envelope as the message, a copy of its headers beside it
        String kombuHeaders = JSON.readTree(original).get("headers").toString();
        long msgId = h.pgmq.send(
                QueueName.of(queue), new String(original, StandardCharsets.UTF_8), kombuHeaders, Delay.none());

        reversePump(Map.of()).runOnce();

        String newTag = MessageRebuilder.returnedTag(queue, msgId).toString();
        List<byte[]> pushed = list("celery");
        assertThat(pushed).hasSize(1);
        CeleryMessage back = MoverHarness.CODEC.decode(pushed.get(0), "celery");
        CeleryMessage sent = MoverHarness.CODEC.decode(original, "celery");
        assertThat(back.deliveryTag()).isEqualTo(newTag);
        assertThat(back.task()).isEqualTo(sent.task());
        assertThat(back.id()).isEqualTo(sent.id());
        assertThat(back.args()).isEqualTo(sent.args());
        assertThat(h.strings(
                        "SELECT count(*)::text FROM celery_pgmq.quarantine WHERE source_key = 'pgmq:" + queue + "'"))
                .containsExactly("0");
        assertThat(remaining()).isZero();
    }

    @Test
    void aRolledBackMessageRoutedToPgmqAgainArrivesInsteadOfBeingTakenForADuplicate() throws SQLException {
        h.routes.set(new RouteTable(
                List.of(new Route("send_welcome_email", RouteMode.PGMQ, 100, queue, PayloadFormat.TASK)), 1));
        redis.lpush(
                "celery".getBytes(StandardCharsets.UTF_8),
                TestMessages.task("send_welcome_email", "ada@example.com", "Ada"));
        h.drain(h.pump("fwd"));
        reversePump(Map.of()).runOnce(); // rollback: back onto "celery"
        assertThat(list("celery")).hasSize(1);

        h.drain(h.pump("fwd")); // the task type goes to pgmq again

        assertThat(list("celery")).isEmpty();
        assertThat(h.strings("SELECT count(*)::text FROM pgmq.q_" + queue)).containsExactly("1");
    }

    @Test
    void aNativePgmqPayloadIsTurnedIntoACeleryMessageThroughTheTemplateInverse() {
        ObjectNode shape = JSON.createObjectNode()
                .put("task", "send_welcome_email")
                .put("email", "{args[0]}")
                .put("username", "{args[1]}");
        h.pgmq.send(
                QueueName.of(queue),
                "{\"task\": \"send_welcome_email\", \"email\": \"ada@example.com\", \"username\": \"Ada\"}",
                null,
                Delay.none());

        reversePump(Map.of("send_welcome_email", new PayloadTemplate("send_welcome_email", shape)))
                .runOnce();

        List<byte[]> pushed = list("celery");
        assertThat(pushed).hasSize(1);
        CeleryMessage msg = MoverHarness.CODEC.decode(pushed.get(0), "celery");
        assertThat(msg.task()).isEqualTo("send_welcome_email");
        assertThat(msg.args().toString()).isEqualTo("[\"ada@example.com\",\"Ada\"]");
        assertThat(msg.routingKey()).isEqualTo("celery");
        assertThat(msg.deliveryTag()).isNotBlank();
    }

    @Test
    void aCrashBetweenPushAndArchiveDoesNotPushASecondCopy() throws SQLException {
        long id = h.pgmq.send(
                QueueName.of(queue),
                "{\"task\": \"tasks.add\", \"id\": \"t-1\", \"args\": [2, 3], \"kwargs\": {}}",
                null,
                Delay.none());
        // The first attempt pushed (marker written with the push) and died before archiving.
        new OnceOnlyPusher(redis)
                .push(List.of(new OnceOnlyPusher.Push(
                        ReverseMover.markerKey(queue, id), "celery", "first copy".getBytes(StandardCharsets.UTF_8))));

        reversePump(Map.of()).runOnce();

        assertThat(list("celery")).hasSize(1);
        assertThat(remaining()).isZero();
    }

    @Test
    void aPayloadThatCannotBecomeACeleryMessageIsQuarantinedNotLost() throws SQLException {
        h.pgmq.send(QueueName.of(queue), "{\"hello\": \"world\"}", null, Delay.none());
        reversePump(Map.of()).runOnce();
        assertThat(list("celery")).isEmpty();
        assertThat(h.strings("SELECT reason || ': ' || convert_from(raw, 'UTF8') FROM celery_pgmq.quarantine"
                        + " WHERE source_key = 'pgmq:" + queue + "'"))
                .containsExactly("UNREVERSIBLE: {\"hello\": \"world\"}");
    }

    @Test
    void invariant4_aMessageThatWouldCrashACeleryWorkerIsNeverPushed() throws Exception {
        // A kombu-format message whose envelope lost delivery_info: a 5.2 worker dies on it (KeyError 'exchange').
        ObjectNode envelope = (ObjectNode) JSON.readTree(TestMessages.task("tasks.add", 2, 3));
        ((ObjectNode) envelope.get("properties")).remove("delivery_info");
        h.pgmq.send(QueueName.of(queue), envelope.toString(), "{\"x-celery-format\": \"kombu\"}", Delay.none());

        reversePump(Map.of()).runOnce();

        assertThat(list("celery")).isEmpty();
        assertThat(h.strings("SELECT reason FROM celery_pgmq.quarantine WHERE source_key = 'pgmq:" + queue + "'"))
                .containsExactly("UNREVERSIBLE");
        assertThat(remaining()).isZero();
    }

    @Test
    void aTaskPayloadWithoutTheEnvelopeIsSynthesisedWithItsPriorityList() {
        h.pgmq.send(
                QueueName.of(queue),
                "{\"task\": \"tasks.add\", \"id\": \"t-2\", \"args\": [1, 2], \"kwargs\": {},"
                        + " \"priority\": 7, \"eta\": \"2030-01-01T12:00:00+00:00\"}",
                null,
                Delay.none());
        reversePump(Map.of()).runOnce();
        List<byte[]> pushed = list("celery\u0006\u00166");
        assertThat(pushed).hasSize(1);
        CeleryMessage msg = MoverHarness.CODEC.decode(pushed.get(0), "celery\u0006\u00166");
        assertThat(msg.id()).isEqualTo("t-2");
        assertThat(msg.priority()).isEqualTo(7);
        assertThat(msg.eta()).isEqualTo("2030-01-01T12:00:00+00:00");
    }

    @Test
    void aPipelinedPassMovesSeveralBatchesBackInOrderAndArchivesEachOnce() throws SQLException {
        h.routes.set(new RouteTable(
                List.of(new Route("send_welcome_email", RouteMode.PGMQ, 100, queue, PayloadFormat.TASK)), 1));
        List<String> tags = new java.util.ArrayList<>();
        for (int i = 0; i < 120; i++) {
            byte[] raw = TestMessages.task("send_welcome_email", "u" + i + "@example.com", "U");
            tags.add(TestMessages.deliveryTag(raw));
            redis.lpush("celery".getBytes(StandardCharsets.UTF_8), raw);
        }
        h.drain(h.pump("fwd"));
        List<Long> msgIds = h.strings("SELECT msg_id::text FROM pgmq.q_" + queue).stream()
                .map(Long::parseLong)
                .sorted()
                .toList();

        try (MoverHarness.ReversePump pump = reversePump(Map.of())) {
            assertThat(pump.drainPass()).isEqualTo(120); // three batches of 50
        }

        List<byte[]> pushed = list("celery");
        java.util.Collections.reverse(pushed); // a worker takes from the tail
        assertThat(pushed.stream().map(TestMessages::deliveryTag).toList())
                .containsExactlyElementsOf(msgIds.stream()
                        .map(id -> MessageRebuilder.returnedTag(queue, id).toString())
                        .toList());
        assertThat(remaining()).isZero();
        assertThat(h.strings("SELECT count(*)::text FROM pgmq.a_" + queue)).containsExactly("120");
    }

    private void sendTasks(int n) {
        for (int i = 0; i < n; i++) {
            h.pgmq.send(
                    QueueName.of(queue),
                    "{\"task\": \"tasks.add\", \"id\": \"t-" + i + "\", \"args\": [" + i + ", 1], \"kwargs\": {}}",
                    null,
                    Delay.none());
        }
    }

    /** What a pgmq consumer would see of each row: id, read count, vt; unchanged rows read the same. */
    private List<String> rowStates() throws SQLException {
        return h.strings("SELECT msg_id || ':' || read_ct || ':' || vt FROM pgmq.q_" + queue + " ORDER BY msg_id");
    }

    @Test
    void aFailedPushLeavesEveryRowAsItWasTakeableAtOnceAndUnlocked() throws SQLException {
        sendTasks(120); // three batches of 50: the second is taken while the first is written
        List<String> before = rowStates();
        redis.set("celery", "not a list"); // the Celery list key holds a string: the push fails

        try (MoverHarness.ReversePump pump = reversePump(Map.of())) {
            assertThatThrownBy(() -> pump.drainPass()).hasMessageContaining("not a Celery list");
        }

        // not hidden behind a visibility timeout, read_ct not raised, nothing archived
        assertThat(rowStates()).isEqualTo(before);
        assertThat(h.strings("SELECT count(*)::text FROM pgmq.a_" + queue)).containsExactly("0");
        assertThat(redis.keys(ReverseMover.MARKER_PREFIX + "*")).isEmpty();
        // neither the failed batch nor the one taken behind it is still locked
        try (Connection c = h.db.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(
                            "SELECT count(*) FROM (SELECT 1 FROM pgmq.q_" + queue + " FOR UPDATE NOWAIT) AS l")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(120);
            }
            c.rollback();
        }

        redis.del("celery");
        try (MoverHarness.ReversePump pump = reversePump(Map.of())) {
            assertThat(pump.drainPass()).isEqualTo(120);
        }
        assertThat(list("celery")).hasSize(120);
        assertThat(remaining()).isZero();
    }

    @Test
    void anArchiveThatFailsAfterThePushRollsBackAndTheRedoDoesNotPushAgain() throws SQLException {
        sendTasks(3);
        List<String> before = rowStates();
        h.sql("ALTER TABLE pgmq.a_" + queue + " RENAME TO a_" + queue + "_away"); // the archive fails

        try (MoverHarness.ReversePump pump = reversePump(Map.of())) {
            assertThatThrownBy(() -> pump.drainPass()).isInstanceOf(RuntimeException.class);
        }
        assertThat(list("celery")).hasSize(3); // the push ran alongside the archive, and got through
        assertThat(rowStates()).isEqualTo(before); // the archive did not

        h.sql("ALTER TABLE pgmq.a_" + queue + "_away RENAME TO a_" + queue);
        try (MoverHarness.ReversePump pump = reversePump(Map.of())) {
            assertThat(pump.drainPass()).isEqualTo(3);
        }
        assertThat(list("celery")).hasSize(3);
        assertThat(remaining()).isZero();
        assertThat(h.strings("SELECT count(*)::text FROM pgmq.a_" + queue)).containsExactly("3");
    }

    @Test
    void rowsAConsumerHoldsOrAnotherTransactionLocksAreLeftForLater() throws SQLException {
        sendTasks(3);
        List<PgmqMessage> held = h.pgmq.read(QueueName.of(queue), 60, 1, null); // a pgmq consumer has msg 1
        try (Connection other = h.db.getConnection()) {
            other.setAutoCommit(false);
            try (Statement st = other.createStatement()) {
                st.execute("SELECT 1 FROM pgmq.q_" + queue + " WHERE msg_id = (SELECT max(msg_id) FROM pgmq.q_" + queue
                        + ") FOR UPDATE");
            }
            try (MoverHarness.ReversePump pump = reversePump(Map.of())) {
                assertThat(pump.drainPass()).isEqualTo(1);
            }
            assertThat(list("celery")).hasSize(1);
            other.rollback();
        }
        try (MoverHarness.ReversePump pump = reversePump(Map.of())) {
            assertThat(pump.drainPass()).isEqualTo(1);
        }
        assertThat(list("celery")).hasSize(2);
        assertThat(h.strings("SELECT msg_id::text FROM pgmq.q_" + queue))
                .containsExactly(Long.toString(held.get(0).msgId()));
    }
}
