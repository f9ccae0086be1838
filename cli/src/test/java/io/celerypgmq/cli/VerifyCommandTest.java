package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.PgmqPreference;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code celery-pgmq verify}: each test has its own queue and task type and verifies only that one. */
@RealBackends
class VerifyCommandTest {
    private static DataSource ds;
    private static String url;

    @BeforeAll
    static void install(TestPostgres pg) {
        ds = pg.dataSource();
        url = pg.url().jdbcUrl() + "?user="
                + (pg.url().user() == null ? "postgres" : pg.url().user());
        BridgeSchema.install(ds);
        PgmqInstaller.ensure(ds, PgmqPreference.COMPAT);
    }

    /** Sends like the bridge and writes the ledger row; returns the msg id. */
    private static long bridged(String queue, String identity, String task) throws SQLException {
        PgmqClient pgmq = new PgmqClient(ds);
        pgmq.create(QueueName.of(queue));
        long id = pgmq.send(QueueName.of(queue), "{}", "{\"x-celery-identity\":\"" + identity + "\"}", Delay.none());
        sql("INSERT INTO celery_pgmq.ledger (identity, task_id, task_name, source_key, route, pgmq_queue, pgmq_msg_id,"
                + " instance) VALUES ('" + identity + "', 'tid-" + identity + "', '" + task + "', 'celery', 'pgmq', '"
                + queue + "', " + id + ", 'test')");
        return id;
    }

    private static long sql(String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
            return ps.getUpdateCount();
        }
    }

    @Test
    void aMessageDeletedBehindTheBridgesBackExitsOneAndIsNamed() throws SQLException {
        long gone = bridged("cli_loss_q", "cli-gone", "cli.loss");
        sql("DELETE FROM pgmq.q_cli_loss_q WHERE msg_id = " + gone);

        Cli r = Cli.run("verify", "--database-url", url, "--task", "cli.loss");

        assertThat(r.exitCode()).isEqualTo(ExitCode.VERIFICATION_FAILED);
        assertThat(r.out()).contains("cli-gone", "tid-cli-gone", "cli_loss_q");
        assertThat(r.out()).containsPattern("cli.loss\\s+zero loss\\s+1 missing of 1\\s+0 missing\\s+FAIL");
        assertThat(r.out()).contains("--track-deletes");
        assertThat(r.err()).contains("NO-GO");
    }

    @Test
    void theReportOnStdoutEndsWithTheGateSoARedirectedReportKeepsTheVerdict() throws SQLException {
        long gone = bridged("cli_gate_q", "cli-gate-gone", "cli.gate");
        sql("DELETE FROM pgmq.q_cli_gate_q WHERE msg_id = " + gone);

        Cli text = Cli.run("verify", "--database-url", url, "--task", "cli.gate");
        Cli markdown = Cli.run("verify", "--database-url", url, "--task", "cli.gate", "--format", "markdown");

        assertThat(text.exitCode()).isEqualTo(ExitCode.VERIFICATION_FAILED);
        assertThat(text.out().lines().reduce((a, b) -> b)).contains("Gate: NO-GO — 1 criterion result(s) failed");
        assertThat(markdown.out().lines().reduce((a, b) -> b))
                .contains("**Gate: NO-GO — 1 criterion result(s) failed**");
    }

    @Test
    void withTrackDeletesADeletedMessageIsCountedAsDeletedAndTheGatePasses() throws SQLException {
        long id = bridged("cli_tracked_q", "cli-deleted", "cli.tracked");
        Cli first = Cli.run("verify", "--database-url", url, "--task", "cli.tracked", "--track-deletes");
        assertThat(first.err()).contains("deletes now logged on", "cli_tracked_q");
        sql("SELECT pgmq.delete('cli_tracked_q', " + id + "::bigint)::int");

        Cli r = Cli.run("verify", "--database-url", url, "--task", "cli.tracked");
        Cli strict = Cli.run("verify", "--database-url", url, "--task", "cli.tracked", "--strict");

        assertThat(r.exitCode()).as(r.out()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).containsPattern("cli.tracked\\s+zero loss\\s+0 missing of 1\\s+0 missing\\s+PASS");
        assertThat(r.out()).containsPattern("cli.tracked\\s+consumer uptime\\s+not measured.*NOT MEASURED");
        assertThat(strict.exitCode())
                .as("uptime not measured fails a strict gate")
                .isEqualTo(1);
    }

    @Test
    void reportsAreWrittenAsJsonOrOneHtmlFile(@TempDir Path dir) throws Exception {
        bridged("cli_fmt_q", "cli-fmt", "cli.fmt");
        Path json = dir.resolve("report.json");
        Path html = dir.resolve("report.html");

        Cli j = Cli.run(
                "verify", "--database-url", url, "--task", "cli.fmt", "--format", "json", "-o", json.toString());
        Cli h = Cli.run("verify", "--database-url", url, "--task", "cli.*", "--format", "html", "-o", html.toString());

        assertThat(j.exitCode()).isZero();
        assertThat(j.out()).isEmpty();
        String tree = Files.readString(json);
        assertThat(tree).containsPattern("\"gate\" : \"INCOMPLETE\"");
        assertThat(tree).containsPattern("\"task\" : \"cli.fmt\",\\s+\"counts\" : \\{[^}]*\"pending\" : 1,");
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").contains("data-chart=\"chart-latency\"");
        assertThat(h.err()).contains("report written to " + html);
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(Cli.run("verify", "--database-url", url, "--format", "xml").exitCode())
                .isEqualTo(ExitCode.USAGE);
        Cli window = Cli.run("verify", "--database-url", url, "--since", "1h", "--until", "2h");
        assertThat(window.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(window.err()).contains("is not before");
        assertThat(Cli.run("verify", "--database-url", url, "--since", "yesterday")
                        .err())
                .contains("neither an instant");
        assertThat(Cli.run("verify", "--database-url", url, "--result-backend", "http://x")
                        .exitCode())
                .isEqualTo(ExitCode.USAGE);
        assertThat(Cli.run("verify", "watch", "--database-url", url, "--interval", "0s")
                        .exitCode())
                .isEqualTo(ExitCode.USAGE);
    }

    @Test
    void watchSamplesEveryQueueForTheGivenDuration() throws SQLException {
        bridged("cli_watch_q", "cli-watch", "cli.watch");

        Cli r = Cli.run("verify", "watch", "--database-url", url, "--interval", "100ms", "--duration", "350ms");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("verify watch: [2-5] sample pass\\(es\\), 0 failed");
        assertThat(sql("SELECT count(*) FROM celery_pgmq.samples WHERE queue_name = 'cli_watch_q'"))
                .isBetween(2L, 5L);
    }

    @Test
    void helpShowsExamplesAndExitCodes() {
        Cli verify = Cli.run("verify", "--help");
        Cli watch = Cli.run("verify", "watch", "--help");

        assertThat(verify.exitCode()).isZero();
        assertThat(verify.out())
                .contains(
                        "celery-pgmq verify --since 24h",
                        "--track-deletes",
                        "--result-backend",
                        "1 a criterion failed");
        assertThat(watch.out()).contains("celery-pgmq verify watch --interval 5s --duration 1h", "Exit codes");
    }
}
