package io.celerypgmq.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.testkit.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-class databases, on a private embedded server so stale-database sweeping touches nobody else's. */
class DatabaseLeaseTest {
    private static EmbeddedPostgres server;
    private static PostgresServer postgres;

    @BeforeAll
    static void startServer() {
        server = EmbeddedPostgres.start();
        postgres = new PostgresServer(server.url(), "embedded postgres " + server.version());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void eachLeaseGetsItsOwnDatabaseWhichIsDroppedEvenWithSessionsStillOpen() throws SQLException {
        DatabaseLease first = DatabaseLease.create(postgres, "FirstIT", Clock.systemUTC());
        DatabaseLease second = DatabaseLease.create(postgres, "SecondIT", Clock.systemUTC());
        assertThat(first.handle().databaseName()).isNotEqualTo(second.handle().databaseName());

        try (Connection c = first.handle().connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE only_in_first (id int)");
        }
        assertThat(tableExists(second.handle(), "only_in_first")).isFalse();
        assertThat(tableExists(first.handle(), "only_in_first")).isTrue();

        try (Connection stillOpen = first.handle().connect()) {
            first.close();
            assertThat(databaseExists(first.handle().databaseName())).isFalse();
            assertThat(stillOpen.isValid(2)).isFalse();
        }
        second.close();
        assertThat(databaseExists(second.handle().databaseName())).isFalse();
    }

    @Test
    void databasesLeftByAKilledRunAreDroppedOnceStaleButRecentOnesAreKept() throws SQLException {
        Instant now = Instant.parse("2030-01-01T12:00:00Z");
        String stale = DatabaseLease.newName(Clock.fixed(now.minus(Duration.ofHours(7)), ZoneOffset.UTC));
        String recent = DatabaseLease.newName(Clock.fixed(now.minus(Duration.ofHours(1)), ZoneOffset.UTC));
        try (Connection admin = adminConnection();
                Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + stale);
            st.execute("CREATE DATABASE " + recent);
        }

        DatabaseLease.dropStale(postgres, Clock.fixed(now, ZoneOffset.UTC));

        assertThat(databaseExists(stale)).isFalse();
        assertThat(databaseExists(recent)).isTrue();
    }

    @Test
    void theEmbeddedServerOffersNoPgmqExtension() {
        DatabaseLease lease = DatabaseLease.create(postgres, "PgmqIT", Clock.systemUTC());
        try {
            // zonky's bundle ships core PostgreSQL only; local and container servers may differ
            assertThat(lease.handle().pgmqExtensionAvailable()).isFalse();
            assertThat(lease.handle().backend()).startsWith("embedded postgres 15.");
        } finally {
            lease.close();
        }
    }

    private static Connection adminConnection() throws SQLException {
        return Jdbc.open(server.url(), 5);
    }

    private static boolean databaseExists(String name) throws SQLException {
        try (Connection c = adminConnection();
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean tableExists(TestPostgres pg, String table) throws SQLException {
        try (Connection c = pg.connect();
                PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
