package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.testkit.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class ExitCodesTest {

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void helpListsTheCommandsAndTheExitCodes() {
        Cli cli = Cli.run("--help");
        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out())
                .contains("demo", "bridge", "route", "pgmq", "config")
                .contains("Exit codes: 0 ok")
                .contains("cannot start");
    }

    @Test
    void versionNamesTheProjectVersion() {
        Cli cli = Cli.run("--version");
        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).startsWith("celery-pgmq 0.").doesNotContain("unknown");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(Cli.run("route", "list", "--no-such-option").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void aBadSettingIsAUsageErrorNamingItsKey() {
        Cli cli = Cli.run("config", "show", "--redis-url", "http://nope");
        assertThat(cli.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err()).contains("redis.url").contains("expected redis://");
    }

    @Test
    void anUnreachablePostgresCannotStartAndTheMessageHasNoPassword() throws IOException {
        Cli cli = Cli.run(
                "pgmq",
                "status",
                "--database-url",
                "postgresql://app:Hunter2Secret@127.0.0.1:" + closedPort() + "/app");
        assertThat(cli.exitCode()).isEqualTo(ExitCode.CANNOT_START);
        assertThat(cli.err())
                .contains("cannot start")
                .contains("Postgres at jdbc:postgresql://127.0.0.1:")
                .doesNotContain("Hunter2Secret");
    }

    @Test
    void aWrongPasswordCannotStartAndNeverShowsThePassword() throws SQLException {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            requirePasswords(pg);
            String url = "postgresql://app:WrongPa55word@127.0.0.1:" + pg.port() + "/postgres";
            Cli cli = Cli.run("pgmq", "status", "--database-url", url);
            assertThat(cli.exitCode()).isEqualTo(ExitCode.CANNOT_START);
            assertThat(cli.err())
                    .contains("password authentication failed")
                    .contains("as app")
                    .doesNotContain("WrongPa55word");

            String right = "postgresql://app:RightPa55word@127.0.0.1:" + pg.port() + "/postgres";
            assertThat(Cli.run("pgmq", "status", "--database-url", right).exitCode())
                    .isEqualTo(ExitCode.VERIFICATION_FAILED); // reachable, no pgmq installed yet
        }
    }

    /** Switches the embedded server from trust to scram for TCP logins of user app (the superuser keeps trust). */
    private static void requirePasswords(EmbeddedPostgres pg) throws SQLException {
        try (Connection c = DriverManager.getConnection(pg.url().jdbcUrl(), "postgres", null);
                Statement s = c.createStatement()) {
            s.execute("SET password_encryption = 'scram-sha-256'");
            s.execute("CREATE ROLE app LOGIN PASSWORD 'RightPa55word'");
            s.execute("COPY (SELECT unnest(ARRAY['local all all trust', 'host all postgres 127.0.0.1/32 trust',"
                    + " 'host all all 127.0.0.1/32 scram-sha-256'])) TO '" + hbaFile(s) + "'");
            s.execute("SELECT pg_reload_conf()");
        }
    }

    private static String hbaFile(Statement s) throws SQLException {
        try (var rs = s.executeQuery("SHOW hba_file")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
