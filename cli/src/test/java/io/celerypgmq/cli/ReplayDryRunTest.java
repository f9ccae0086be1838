package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every replay command's --dry-run leaves Redis and Postgres byte for byte as they were, and says what it would do. */
@RealBackends
class ReplayDryRunTest {
    private static ReplayFixture f;

    @TempDir
    Path dir;

    @BeforeAll
    static void open(TestPostgres pg, TestRedis redis) {
        f = new ReplayFixture(pg, redis);
    }

    @AfterAll
    static void close() {
        f.close();
    }

    @BeforeEach
    void clean() {
        f.reset();
    }

    private Cli replay(String... args) {
        List<String> all = new ArrayList<>(List.of("replay"));
        all.addAll(List.of(args));
        all.addAll(f.connection());
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void everyDryRunLeavesBothStoresByteForByteUnchanged() throws Exception {
        // Something of everything: moved messages in pgmq (queue, archive, DLQ, ledger), leftovers in Redis.
        f.push("celery", "tasks.add", 40, 10);
        assertThat(replay("redis-to-pgmq", "--queue", "moved").exitCode()).isZero();
        new PgmqClient(f.db).read(QueueName.of("moved"), 60, 3);
        f.sql("SELECT pgmq.create('moved_dlq')");
        f.sql("INSERT INTO pgmq.q_moved_dlq (vt, message, headers, read_ct) SELECT vt, message, headers, 5"
                + " FROM pgmq.q_moved ORDER BY msg_id DESC LIMIT 4");
        f.push("celery", "tasks.add", 25, 10);
        f.push(ReplayFixture.P9, "tasks.urgent", 5, 10);
        f.redis.lpush("celery".getBytes(StandardCharsets.UTF_8), "not a message".getBytes(StandardCharsets.UTF_8));
        f.unacked("tasks.held", 1, 7200);
        f.unacked("tasks.held", 2, 1);
        Path snapshot = dir.resolve("s.jsonl");
        assertThat(replay("snapshot", "--out", snapshot.toString()).exitCode()).isZero();
        Map<String, String> redisBefore = StoreDump.redis(f.redis);
        Map<String, List<String>> pgBefore = StoreDump.postgres(f.db);

        Cli drain = replay("redis-to-pgmq", "--queue", "moved", "--dry-run");
        Cli drainAll = replay("redis-to-pgmq", "--queue", "moved", "--workers-stopped", "--dry-run", "--json");
        Cli noDestination = replay("redis-to-pgmq", "--dry-run");
        Cli rollback = replay("pgmq-to-redis", "--queue", "moved", "--dlq", "--dry-run");
        Cli redrive = replay("redrive", "--queue", "moved", "--dry-run");
        Cli restore = replay("restore", "--in", snapshot.toString(), "--dry-run");

        assertThat(StoreDump.redis(f.redis)).isEqualTo(redisBefore);
        assertThat(StoreDump.postgres(f.db)).isEqualTo(pgBefore);

        assertThat(drain.out())
                .contains("DRY RUN, nothing was changed")
                .containsPattern("would move +31")
                .containsPattern("would quarantine +1")
                .containsPattern("tasks.urgent +5")
                .containsPattern("celery\\\\x06\\\\x169 +5")
                .containsPattern("BAD_ENVELOPE_JSON +1")
                .contains("unacked entry delivered within the visibility timeout (3600 s)");
        assertThat(drain.exitCode())
                .as("the real run would quarantine and leave something")
                .isEqualTo(1);
        assertThat(drainAll.out()).contains("\"moved\" : 32").contains("\"dry_run\" : true");
        assertThat(noDestination.out()).containsPattern("no pgmq destination for task type tasks.add +25");
        assertThat(rollback.out()).containsPattern("would move +41").contains("pgmq:moved_dlq");
        assertThat(rollback.out()).contains("held by a pgmq consumer");
        assertThat(redrive.out()).containsPattern("would move +4");
        assertThat(restore.out()).contains("already in Redis");
    }

    @Test
    void aDryRunOnAFreshDatabaseCreatesNoSchema() throws Exception {
        f.push("celery", "tasks.add", 3, 0);
        Map<String, List<String>> before = StoreDump.postgres(f.db);

        Cli cli = replay("redis-to-pgmq", "--queue", "moved", "--dry-run");

        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).containsPattern("would move +3");
        assertThat(f.strings("SELECT to_regnamespace('celery_pgmq')::text")).containsExactly((String) null);
        assertThat(StoreDump.postgres(f.db)).isEqualTo(before);
        assertThat(Files.exists(dir)).isTrue();
    }
}
