package io.celerypgmq.bridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@RealBackends
class LedgerTest {

    @BeforeAll
    static void schema(TestPostgres pg) {
        BridgeSchema.install(pg.dataSource());
    }

    private static LedgerEntry entry(String identity) {
        return entry(identity, "user_tasks");
    }

    private static LedgerEntry entry(String identity, String queue) {
        return new LedgerEntry(identity, "id-" + identity, "send_welcome_email", "celery", "pgmq", queue, null, false);
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void installingOverAnOlderLedgerSwapsTheUnreadTaskIndexForOneOnBridgedAt(TestPostgres pg) throws SQLException {
        String indexes = "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes"
                + " WHERE schemaname = 'celery_pgmq' AND tablename = 'ledger'";
        try (Connection c = pg.connect();
                Statement s = c.createStatement()) {
            s.execute("DROP INDEX IF EXISTS celery_pgmq.ledger_bridged_at_idx");
            s.execute("CREATE INDEX ledger_task_time_idx ON celery_pgmq.ledger (task_name, bridged_at)");
            BridgeSchema.install(pg.dataSource());
            try (ResultSet rs = s.executeQuery(indexes)) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("ledger_bridged_at_idx,ledger_pkey,ledger_queue_msg_idx");
            }
            assertThat(count(c, "SELECT max(version) FROM celery_pgmq.schema_version"))
                    .isEqualTo(5);
        }
    }

    @Test
    void reInsertingABatchReportsOnlyTheIdentitiesThatWereNew(TestPostgres pg) throws SQLException {
        try (Connection c = pg.connect()) {
            assertThat(Ledger.insertNew(c, List.of(entry("a"), entry("b")), "i1"))
                    .containsExactlyInAnyOrder("a", "b");
            assertThat(Ledger.insertNew(c, List.of(entry("b"), entry("c")), "i2"))
                    .containsExactly("c");
            assertThat(Ledger.existing(c, List.of("a", "c", "never"))).containsExactlyInAnyOrder("a", "c");
            assertThat(count(c, "SELECT count(*) FROM celery_pgmq.ledger WHERE identity IN ('a','b','c')"))
                    .isEqualTo(3);
        }
    }

    @Test
    void sendingWritesEachLedgerRowOnceWithItsOwnMsgId(TestPostgres pg) throws SQLException {
        io.celerypgmq.bridge.pgmq.PgmqInstaller.ensure(pg.dataSource());
        new io.celerypgmq.bridge.pgmq.PgmqClient(pg.dataSource())
                .create(io.celerypgmq.bridge.pgmq.QueueName.of("ledger_q"));
        try (Connection c = pg.connect()) {
            c.setAutoCommit(false);
            Ledger.sendAndInsert(
                    c,
                    "ledger_q",
                    List.of(entry("s1", "ledger_q"), entry("s2", "ledger_q")),
                    List.of("{\"n\": 1}", "{\"n\": 2}"),
                    List.of("{\"x-celery-identity\": \"s1\"}", "{\"x-celery-identity\": \"s2\"}"),
                    null,
                    null,
                    "i1",
                    null,
                    null);
            assertThat(count(
                            c,
                            "SELECT count(*) FROM celery_pgmq.ledger l JOIN pgmq.q_ledger_q q"
                                    + " ON q.msg_id = l.pgmq_msg_id AND q.headers->>'x-celery-identity' = l.identity"
                                    + " AND (q.message->>'n')::int = right(l.identity, 1)::int"
                                    + " WHERE l.identity IN ('s1', 's2') AND l.instance = 'i1'"))
                    .isEqualTo(2);
            c.commit();
        }
    }

    @Test
    void sendingAnIdentityTheLedgerHasFailsAsADuplicateAndRollsTheSendBack(TestPostgres pg) throws SQLException {
        io.celerypgmq.bridge.pgmq.PgmqInstaller.ensure(pg.dataSource());
        new io.celerypgmq.bridge.pgmq.PgmqClient(pg.dataSource())
                .create(io.celerypgmq.bridge.pgmq.QueueName.of("dup_q"));
        try (Connection c = pg.connect()) {
            c.setAutoCommit(false);
            Ledger.insertNew(c, List.of(entry("d1", "dup_q")), "i1");
            c.commit();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Ledger.sendAndInsert(
                            c,
                            "dup_q",
                            List.of(entry("d0", "dup_q"), entry("d1", "dup_q")),
                            List.of("{}", "{}"),
                            List.of("{}", "{}"),
                            null,
                            null,
                            "i2",
                            null,
                            null))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(Ledger.isDuplicate(e))
                            .isTrue());
            c.rollback();
            assertThat(count(c, "SELECT count(*) FROM pgmq.q_dup_q")).isZero();
            assertThat(count(c, "SELECT count(*) FROM celery_pgmq.ledger WHERE identity = 'd0'"))
                    .isZero();
        }
    }

    @Test
    void envelopesAndFlowCountsRidingAlongWithASendAreWrittenByItAndRolledBackWithIt(TestPostgres pg)
            throws SQLException {
        io.celerypgmq.bridge.pgmq.PgmqInstaller.ensure(pg.dataSource());
        new io.celerypgmq.bridge.pgmq.PgmqClient(pg.dataSource())
                .create(io.celerypgmq.bridge.pgmq.QueueName.of("ride_q"));
        Instant now = Instant.parse("2026-11-23T08:01:59Z");
        FlowCounters flow = new FlowCounters();
        flow.add("ride_along", "pgmq", "to_pgmq");
        flow.add("ride_along", "pgmq", "to_pgmq");
        flow.add("ride_along", "celery", "to_celery");
        String counted = "SELECT coalesce(sum(count), 0) FROM celery_pgmq.flow WHERE task_name = 'ride_along'"
                + " AND minute = '2026-11-23T08:01:00Z' AND writer = 'rider'";
        try (Connection c = pg.connect()) {
            c.setAutoCommit(false);
            Ledger.sendAndInsert(
                    c,
                    "ride_q",
                    List.of(entry("r1", "ride_q"), entry("r2", "ride_q")),
                    List.of("{}", "{}"),
                    List.of("{}", "{}"),
                    java.util.Arrays.asList("{\"body\": \"r1\"}".getBytes(StandardCharsets.UTF_8), null),
                    null,
                    "rider",
                    flow,
                    now);
            c.commit();
            // the envelope copy is kept byte for byte where one was given, and only there
            try (var q = c.createStatement();
                    var rs = q.executeQuery("SELECT identity, convert_from(envelope, 'UTF8') FROM celery_pgmq.ledger"
                            + " WHERE identity IN ('r1', 'r2') AND envelope IS NOT NULL")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("r1");
                assertThat(rs.getString(2)).isEqualTo("{\"body\": \"r1\"}");
                assertThat(rs.next()).isFalse();
            }
            assertThat(count(c, counted)).isEqualTo(3);
            assertThat(count(c, counted + " AND direction = 'to_pgmq'")).isEqualTo(2);
            assertThat(count(c, "SELECT count(*) FROM pgmq.q_ride_q")).isEqualTo(2);

            // a redo of r2 fails on the ledger's key: its counts must not be added a second time
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Ledger.sendAndInsert(
                            c,
                            "ride_q",
                            List.of(entry("r2", "ride_q")),
                            List.of("{}"),
                            List.of("{}"),
                            null,
                            Instant.parse("2030-01-01T00:00:00Z"),
                            "rider",
                            flow,
                            now))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(Ledger.isDuplicate(e))
                            .isTrue());
            c.rollback();
            assertThat(count(c, counted)).isEqualTo(3);
            assertThat(count(c, "SELECT count(*) FROM pgmq.q_ride_q")).isEqualTo(2);
        }
    }

    @Test
    void aRolledBackBatchLeavesNoLedgerRowsSoItIsSentAgainOnRetry(TestPostgres pg) throws SQLException {
        try (Connection c = pg.connect()) {
            c.setAutoCommit(false);
            assertThat(Ledger.insertNew(c, List.of(entry("rolled")), "i1")).containsExactly("rolled");
            c.rollback();
            assertThat(Ledger.insertNew(c, List.of(entry("rolled")), "i1")).containsExactly("rolled");
            c.commit();
        }
    }

    @Test
    void expiredEntriesAndEtasAreKept(TestPostgres pg) throws SQLException {
        Instant eta = Instant.parse("2030-01-01T12:00:00Z");
        LedgerEntry expired =
                new LedgerEntry("x1", "t1", "cleanup_inactive_users", "celery\u0006\u00166", "pgmq", "q", eta, true);
        try (Connection c = pg.connect()) {
            Ledger.insertNew(c, List.of(expired), "i1");
            assertThat(count(
                            c,
                            "SELECT count(*) FROM celery_pgmq.ledger WHERE identity = 'x1' AND outcome = 'expired'"
                                    + " AND eta = '2030-01-01T12:00:00Z' AND source_key = E'celery\\x06\\x166'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void theSameBadMessageSeenTwiceIsQuarantinedOnceWithACount(TestPostgres pg) throws SQLException {
        QuarantineEntry bad = new QuarantineEntry(
                "sha256:ab", "celery", "not json".getBytes(StandardCharsets.UTF_8), "BAD_ENVELOPE_JSON", "line 1");
        try (Connection c = pg.connect()) {
            Quarantine.record(c, List.of(bad));
            Quarantine.record(c, List.of(bad));
            assertThat(count(c, "SELECT seen_count FROM celery_pgmq.quarantine WHERE fingerprint = 'sha256:ab'"))
                    .isEqualTo(2);
        }
    }

    @Test
    void flowCountsAccumulatePerMinuteAndWriter(TestPostgres pg) throws SQLException {
        FlowCounters flow = new FlowCounters();
        flow.add("send_welcome_email", "celery", "to_celery");
        flow.add("send_welcome_email", "celery", "to_celery");
        flow.add("send_welcome_email", "shadow", "to_shadow");
        Instant now = Instant.parse("2026-11-22T10:15:30Z");
        try (Connection c = pg.connect()) {
            flow.flush(c, now, "pump-a");
            FlowCounters nextBatch = new FlowCounters();
            nextBatch.add("send_welcome_email", "celery", "to_celery");
            nextBatch.flush(c, now.plusSeconds(10), "pump-a");
            FlowCounters otherPump = new FlowCounters();
            otherPump.add("send_welcome_email", "celery", "to_celery");
            otherPump.flush(c, now.plusSeconds(20), "pump-b");
            assertThat(count(
                            c,
                            "SELECT count FROM celery_pgmq.flow WHERE minute = '2026-11-22T10:15:00Z'"
                                    + " AND direction = 'to_celery' AND writer = 'pump-a'"))
                    .isEqualTo(3);
            assertThat(count(
                            c,
                            "SELECT sum(count) FROM celery_pgmq.flow WHERE minute = '2026-11-22T10:15:00Z'"
                                    + " AND direction = 'to_celery'"))
                    .isEqualTo(4);
        }
        assertThat(flow.snapshot()).containsEntry("send_welcome_email/celery/to_celery", 2L);
    }
}
