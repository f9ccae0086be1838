package io.celerypgmq.testkit.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Runs always, whatever other backends exist: the CLI demo depends on it. */
class EmbeddedPostgresTest {

    @Test
    void anEmbeddedServerServesQueriesAndIsGoneAfterClose() throws SQLException {
        Path workDir;
        int port;
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            port = pg.port();
            workDir = pg.workDirectory();
            assertThat(pg.url().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/postgres");
            assertThat(pg.version()).startsWith("15.");
            try (Connection c = DriverManager.getConnection(
                            pg.url().jdbcUrl(), pg.url().user(), null);
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE job (id bigint PRIMARY KEY, name text)");
                st.execute("INSERT INTO job VALUES (1, 'tasks.add')");
                try (ResultSet rs = st.executeQuery("SELECT name, current_user FROM job WHERE id = 1")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("tasks.add");
                    assertThat(rs.getString(2)).isEqualTo("postgres");
                }
            }
        }
        assertThat(Ports.isListening("127.0.0.1", port, 500)).isFalse();
        assertThat(Files.exists(workDir)).isFalse();
    }

    @Test
    void aRestartDropsConnectionsAndKeepsCommittedData() throws SQLException {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            java.sql.Connection before =
                    java.sql.DriverManager.getConnection(pg.url().jdbcUrl(), "postgres", null);
            try (java.sql.Statement s = before.createStatement()) {
                s.execute("CREATE TABLE kept (v int)");
                s.execute("INSERT INTO kept VALUES (42)");
            }
            pg.restart();
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> before.createStatement().execute("SELECT 1"))
                    .isInstanceOf(SQLException.class);
            try (java.sql.Connection after =
                            java.sql.DriverManager.getConnection(pg.url().jdbcUrl(), "postgres", null);
                    java.sql.Statement s = after.createStatement();
                    java.sql.ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }
}
