package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.ledger.Quarantine;
import io.celerypgmq.bridge.ledger.QuarantineEntry;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/** {@code quarantine list|show|release} against real Postgres and Redis, with rows the real quarantine writer made. */
@RealBackends
class QuarantineCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A word that appears only inside the test messages' bodies, so output can be searched for leaked bodies. */
    private static final String SECRET_ARG = "s3cr3t-body-word";

    private TestPostgres pg;
    private JedisPooled redis;
    private String list;
    private List<String> stores;

    @BeforeEach
    void setUp(TestPostgres pg, TestRedis backend) throws SQLException {
        this.pg = pg;
        redis = RedisConnections.open(backend.url());
        redis.flushDB();
        BridgeSchema.install(pg.dataSource());
        PgmqInstaller.ensure(pg.dataSource());
        try (Connection c = pg.connect()) {
            c.createStatement().execute("DELETE FROM celery_pgmq.quarantine");
        }
        list = "incoming_" + UUID.randomUUID().toString().substring(0, 8);
        stores = List.of(
                "--redis-url",
                "redis://" + backend.host() + ":" + backend.port() + "/" + backend.database(),
                "--database-url",
                pg.url().jdbcUrl() + "?user="
                        + (pg.url().user() == null ? "postgres" : pg.url().user()));
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    private Cli cli(String... args) {
        String[] all = new String[args.length + stores.size()];
        System.arraycopy(args, 0, all, 0, args.length);
        for (int i = 0; i < stores.size(); i++) {
            all[args.length + i] = stores.get(i);
        }
        return Cli.run(all);
    }

    /** A Celery 5.2-shaped envelope whose body carries {@link #SECRET_ARG}. */
    private static ObjectNode envelope(String tag) {
        ObjectNode env = JSON.createObjectNode();
        String body = "[[\"" + SECRET_ARG + "\"], {}, {\"callbacks\": null, \"errbacks\": null, \"chain\": null,"
                + " \"chord\": null}]";
        env.put("body", Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        env.put("content-encoding", "utf-8");
        env.put("content-type", "application/json");
        ObjectNode h = env.putObject("headers");
        h.put("lang", "py");
        h.put("task", "emails.send");
        h.put("id", "task-" + tag);
        h.put("root_id", "task-" + tag);
        h.put("retries", 0);
        ObjectNode p = env.putObject("properties");
        p.put("correlation_id", "task-" + tag);
        p.put("delivery_mode", 2);
        p.putObject("delivery_info").put("exchange", "").put("routing_key", "celery");
        p.put("priority", 0);
        p.put("body_encoding", "base64");
        p.put("delivery_tag", tag);
        return env;
    }

    private long quarantine(String fingerprint, String source, byte[] raw, String reason) throws SQLException {
        try (Connection c = pg.connect()) {
            Quarantine.record(
                    c,
                    List.of(new QuarantineEntry(
                            fingerprint, source, raw, reason, "for the test", "id-" + fingerprint)));
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT id FROM celery_pgmq.quarantine WHERE fingerprint = ?")) {
                ps.setString(1, fingerprint);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
    }

    private long count(String sql, Object... params) throws SQLException {
        try (Connection c = pg.connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void listAndShowTellWhatWhereAndWhyWithoutEverPrintingABody() throws Exception {
        ObjectNode env = envelope("tag-list");
        long id = quarantine("tag-list", list, JSON.writeValueAsBytes(env), "UNMAPPABLE");

        Cli listed = cli("quarantine", "list");
        Cli shown = cli("quarantine", "show", Long.toString(id));

        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).containsPattern(id + "\\s+UNMAPPABLE\\s+" + list + "\\s+\\d+\\s+1\\s");
        assertThat(shown.out())
                .contains(
                        "reason:      UNMAPPABLE",
                        "source:      " + list,
                        "fingerprint: tag-list",
                        "identity:    id-tag-list");
        assertThat(listed.out() + listed.err() + shown.out() + shown.err())
                .doesNotContain(SECRET_ARG)
                .doesNotContain(env.get("body").asText());
    }

    @Test
    void showDecodeAndRawPrintTheMessageOnRequest() throws Exception {
        byte[] raw = JSON.writeValueAsBytes(envelope("tag-show"));
        long id = quarantine("tag-show", list, raw, "UNMAPPABLE");

        Cli decoded = cli("quarantine", "show", Long.toString(id), "--decode");
        Cli rawOut = cli("quarantine", "show", Long.toString(id), "--raw");

        assertThat(decoded.out()).contains("decoded:", "\"task\" : \"emails.send\"", SECRET_ARG);
        assertThat(rawOut.out()).isEqualTo(new String(raw, StandardCharsets.UTF_8));
    }

    @Test
    void aReleaseGoesBackOntoItsSourceListOnceAndIsAudited() throws Exception {
        byte[] raw = JSON.writeValueAsBytes(envelope("tag-back"));
        long id = quarantine("tag-back", list, raw, "UNMAPPABLE");

        Cli first = cli("quarantine", "release", Long.toString(id), "--by", "alice", "--reason", "template added");
        Cli second = cli("quarantine", "release", Long.toString(id), "--by", "alice");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out())
                .contains("released quarantined message #" + id + " (UNMAPPABLE, from " + list + ") to redis:" + list)
                .contains("by alice");
        assertThat(redis.lrange(list.getBytes(StandardCharsets.UTF_8), 0, -1)).containsExactly(raw);
        assertThat(second.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(second.err()).contains("not released: no quarantined message #" + id);
        assertThat(count("SELECT count(*) FROM celery_pgmq.quarantine WHERE id = ?", id))
                .isZero();
        assertThat(count(
                        "SELECT count(*) FROM celery_pgmq.quarantine_releases WHERE quarantine_id = ?"
                                + " AND released_by = 'alice' AND why = 'template added' AND destination = ?",
                        id,
                        "redis:" + list))
                .isOne();
        assertThat(cli("quarantine", "list", "--released").out()).contains("template added");
        assertThat(cli("quarantine", "show", Long.toString(id)).err()).contains("released ", "by alice");
    }

    @Test
    void anIdentityCollisionGoesBackWithANewDeliveryTag() throws Exception {
        long id = quarantine("tag-taken", list, JSON.writeValueAsBytes(envelope("tag-taken")), "IDENTITY_COLLISION");

        Cli released = cli("quarantine", "release", Long.toString(id));

        assertThat(released.exitCode()).as(released.err()).isZero();
        JsonNode pushed = JSON.readTree(redis.lindex(list.getBytes(StandardCharsets.UTF_8), 0));
        String tag = pushed.path("properties").path("delivery_tag").asText();
        assertThat(tag).isNotEqualTo("tag-taken");
        assertThat(UUID.fromString(tag).version()).isEqualTo(4);
        assertThat(released.out()).contains("with the new delivery tag " + tag);
        assertThat(pushed.path("headers").path("id").asText()).isEqualTo("task-tag-taken");
    }

    @Test
    void aMessageThatWouldCrashACeleryWorkerIsNotReleasedToRedisButAFixedOneIs(@TempDir Path dir) throws Exception {
        ObjectNode broken = envelope("tag-broken");
        ((ObjectNode) broken.get("properties")).remove("delivery_info"); // a 5.2 worker dies on this (KeyError)
        long id = quarantine("tag-broken", list, JSON.writeValueAsBytes(broken), "UNMAPPABLE");

        Cli refused = cli("quarantine", "release", Long.toString(id));

        assertThat(refused.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(refused.err())
                .contains("not released", "is not a message a Celery worker can take", "--replace-with");
        assertThat(redis.llen(list)).isZero();
        assertThat(count("SELECT count(*) FROM celery_pgmq.quarantine WHERE id = ?", id))
                .isOne();

        Path fixed = dir.resolve("fixed.json");
        Files.write(fixed, JSON.writeValueAsBytes(envelope("tag-broken")));
        Cli released = cli("quarantine", "release", Long.toString(id), "--replace-with", fixed.toString());

        assertThat(released.exitCode()).as(released.err()).isZero();
        assertThat(redis.lrange(list.getBytes(StandardCharsets.UTF_8), 0, -1))
                .containsExactly(Files.readAllBytes(fixed));
    }

    @Test
    void aWayBackQuarantineGoesBackToItsPgmqQueueWithKombusHeaders() throws Exception {
        String queue = "wayback_" + UUID.randomUUID().toString().substring(0, 8);
        new PgmqClient(pg.dataSource()).create(QueueName.of(queue));
        ObjectNode env = envelope("tag-wayback");
        long id = quarantine("pgmq:" + queue + ":7:sha", "pgmq:" + queue, JSON.writeValueAsBytes(env), "UNREVERSIBLE");

        Cli released = cli("quarantine", "release", Long.toString(id), "--reason", "reverse pump recognises kombu now");

        assertThat(released.exitCode()).as(released.err()).isZero();
        assertThat(released.out()).contains("to pgmq:" + queue + " as msg_id ");
        try (Connection c = pg.connect();
                ResultSet rs =
                        c.createStatement().executeQuery("SELECT message::text, headers::text FROM pgmq.q_" + queue)) {
            assertThat(rs.next()).isTrue();
            assertThat(JSON.readTree(rs.getString(1))).isEqualTo(env);
            JsonNode headers = JSON.readTree(rs.getString(2));
            assertThat(headers.path("task").asText()).isEqualTo("emails.send");
            assertThat(headers.path("x-celery-pgmq-released").asText()).isEqualTo("pgmq:" + queue + ":7:sha");
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void aMessageFromUnackedNeedsATarget() throws Exception {
        long id = quarantine(
                "tag-unacked",
                "unacked",
                "[\"x\", \"\", \"celery\"]".getBytes(StandardCharsets.UTF_8),
                "BAD_UNACKED_ENTRY");

        Cli refused = cli("quarantine", "release", Long.toString(id));

        assertThat(refused.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(refused.err()).contains("which is not a list", "--to redis:<list>");
    }
}
