package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import org.junit.jupiter.api.Test;

@RealBackends
class PgmqAndRouteCommandsTest {

    private static String db(TestPostgres pg) {
        return pg.url().jdbcUrl() + "?user="
                + (pg.url().user() == null ? "postgres" : pg.url().user());
    }

    @Test
    void pgmqInstallThenStatusTellsWhichPgmqIsInUse(TestPostgres pg) {
        Cli install = Cli.run("pgmq", "install", "--database-url", db(pg));
        assertThat(install.exitCode()).isZero();
        Cli status = Cli.run("pgmq", "status", "--database-url", db(pg));
        assertThat(status.exitCode()).isZero();
        assertThat(status.out().trim()).isEqualTo(install.out().trim());
        if (pg.pgmqExtensionAvailable()) {
            assertThat(status.out()).startsWith("pgmq extension ");
        } else {
            assertThat(status.out()).startsWith("celery-pgmq compatible schema v1");
        }
    }

    @Test
    void routesMoveThroughShadowToPgmqWithAnAuditTrailAndRefuseShortcuts(TestPostgres pg) {
        String url = db(pg);
        Cli shortcut =
                Cli.run("route", "set", "send_welcome_email", "pgmq", "--queue", "user_tasks", "--database-url", url);
        assertThat(shortcut.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(shortcut.err()).contains("cannot change send_welcome_email from celery to pgmq 100 %");

        assertThat(Cli.run(
                                "route",
                                "set",
                                "send_welcome_email",
                                "shadow",
                                "--queue",
                                "user_tasks_shadow",
                                "--reason",
                                "start shadowing",
                                "--by",
                                "ops",
                                "--database-url",
                                url)
                        .exitCode())
                .isZero();
        Cli flip = Cli.run(
                "route",
                "set",
                "send_welcome_email",
                "pgmq",
                "--percent",
                "10",
                "--queue",
                "user_tasks",
                "--format",
                "template",
                "--by",
                "ops",
                "--database-url",
                url);
        assertThat(flip.out()).contains("shadow → user_tasks_shadow → pgmq 10 % → user_tasks");

        assertThat(Cli.run("route", "list", "--database-url", url).out())
                .containsPattern("send_welcome_email\\s+pgmq\\s+10 %\\s+user_tasks\\s+template");
        assertThat(Cli.run("route", "history", "--database-url", url).out())
                .contains("by ops  (start shadowing)")
                .contains("celery (default) → shadow → user_tasks_shadow");
    }

    @Test
    void aBadModeIsAUsageError(TestPostgres pg) {
        Cli cli = Cli.run("route", "set", "x", "kafka", "--database-url", db(pg));
        assertThat(cli.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err()).contains("unknown route mode 'kafka'");
    }
}
