package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A name the tool cannot use is the operator's mistake, not a crash: exit 2 with the rule it broke, nothing changed.
 * Queue names are checked by one rule, so a route names exactly the queue pgmq has.
 */
@RealBackends
class BadNamesAreUsageErrorsTest {
    private static String db;

    @BeforeAll
    static void database(TestPostgres pg) {
        db = pg.url().jdbcUrl() + "?user="
                + (pg.url().user() == null ? "postgres" : pg.url().user());
        PgmqInstaller.ensure(pg.dataSource());
        BridgeSchema.install(pg.dataSource());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "q;x",
                "it's",
                "drop--me",
                "a$b",
                "with space",
                "tâches",
                "q\tx",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" // 48 characters
            })
    void anInvalidQueueNameForARouteExitsTwoWithTheRuleAndChangesNothing(String queue) throws SQLException {
        String task = "names.t" + Math.abs(queue.hashCode());

        Cli cli = Cli.run("route", "set", task, "shadow", "--queue", queue, "--database-url", db);

        assertThat(cli.exitCode()).as(cli.err()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err())
                .contains("invalid pgmq queue name")
                .contains("queue name ")
                .contains(QueueName.RULE)
                .doesNotContain("celery-pgmq: crashed")
                .doesNotContain("\tat ");
        assertThat(strings("SELECT task_pattern FROM celery_pgmq.routes WHERE task_pattern = '" + task + "'"))
                .isEmpty();
    }

    @Test
    void anUpperCaseQueueNameIsFoldedTheSameWayInTheRouteAndInPgmq() throws SQLException {
        Cli cli = Cli.run("route", "set", "names.upper", "shadow", "--queue", "Upper_Shadow", "--database-url", db);

        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("shadow → upper_shadow");
        assertThat(strings("SELECT pgmq_queue FROM celery_pgmq.routes WHERE task_pattern = 'names.upper'"))
                .containsExactly("upper_shadow");
        assertThat(strings("SELECT queue_name FROM pgmq.meta WHERE lower(queue_name) = 'upper_shadow'"))
                .containsExactly("upper_shadow");
        assertThat(Cli.run("route", "list", "--database-url", db).out())
                .containsPattern("names\\.upper\\s+shadow.*upper_shadow");
    }

    @Test
    void aRouteChangeByANameWithALineBreakIsRefused() {
        Cli cli = Cli.run(
                "route", "set", "names.by", "shadow", "--queue", "q", "--by", "ops\nforged", "--database-url", db);

        assertThat(cli.exitCode()).as(cli.err()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err()).contains("one line of printable characters");
    }

    @Test
    void anInvalidQueueNameForReplayExitsTwoBeforeAnythingMoves(TestRedis redis) {
        Cli cli = Cli.run(
                "replay",
                "redis-to-pgmq",
                "--queue",
                "q;x",
                "--redis-url",
                redis.url().toString(),
                "--database-url",
                db);

        assertThat(cli.exitCode()).as(cli.err()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err()).contains("invalid pgmq queue name 'q;x'").doesNotContain("celery-pgmq: crashed");
    }

    @Test
    void aBridgeInstanceIdWithALineBreakIsRefusedAtConfigLoad(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(
                dir.resolve("bridge.yml"),
                "bridge:\n  instance-id: \"b1\\n12:00:00.000 ERROR [BridgeDaemon] forged\"\n  http-port: 0\n");

        // Accepted, the bridge would start and run until stopped: the timeout turns that into a failure.
        Cli cli = assertTimeoutPreemptively(
                Duration.ofSeconds(60), () -> Cli.run("bridge", "--config", config.toString(), "--database-url", db));

        assertThat(cli.exitCode()).as(cli.err()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err())
                .contains("bridge.instance-id")
                .contains("one line of printable characters")
                .doesNotContain("\n12:00:00.000");
    }

    private static List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = java.sql.DriverManager.getConnection(db);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
