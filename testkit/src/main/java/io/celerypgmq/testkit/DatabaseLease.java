package io.celerypgmq.testkit;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database created for one test class and dropped, with its open sessions, when the class ends. Names carry their
 * creation time so databases left behind by a killed JVM are dropped once they are clearly stale.
 */
final class DatabaseLease implements ExtensionContext.Store.CloseableResource {
    static final String PREFIX = "cpgmq_t_";
    static final Duration STALE_AFTER = Duration.ofHours(6);
    private static final Pattern NAME = Pattern.compile(PREFIX + "(\\d+)_[0-9a-f]+");
    private static final Logger log = LoggerFactory.getLogger(DatabaseLease.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ConcurrentHashMap<String, Boolean> SWEPT = new ConcurrentHashMap<>();

    private final PostgresServer server;
    private final TestPostgres handle;

    private DatabaseLease(PostgresServer server, TestPostgres handle) {
        this.server = server;
        this.handle = handle;
    }

    static DatabaseLease create(PostgresServer server, String owner, Clock clock) {
        String name = newName(clock);
        if (SWEPT.putIfAbsent(server.adminUrl().jdbcUrl(), Boolean.TRUE) == null) {
            dropStale(server, clock);
        }
        try (Connection admin = Jdbc.open(server.adminUrl(), 10);
                Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name); // a generated name, safe to splice; DDL cannot take parameters
        } catch (SQLException e) {
            throw new TestBackendException("cannot create test database " + name + " on " + server, e);
        }
        log.debug("testkit: database {} for {} on {}", name, owner, server);
        return new DatabaseLease(
                server, new TestPostgres(server.adminUrl().withDatabase(name), name, server.description()));
    }

    static String newName(Clock clock) {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return PREFIX + clock.instant().getEpochSecond() + "_" + HexFormat.of().formatHex(random);
    }

    TestPostgres handle() {
        return handle;
    }

    @Override
    public void close() {
        try (Connection admin = Jdbc.open(server.adminUrl(), 10)) {
            drop(admin, handle.databaseName());
            log.debug("testkit: dropped database {}", handle.databaseName());
        } catch (SQLException e) {
            throw new TestBackendException("cannot drop test database " + handle.databaseName(), e);
        }
    }

    private static void drop(Connection admin, String name) throws SQLException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("refusing to drop a database testkit did not create: " + name);
        }
        if (admin.getMetaData().getDatabaseMajorVersion() < 13) { // no WITH (FORCE) before PostgreSQL 13
            try (PreparedStatement ps = admin.prepareStatement(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ?")) {
                ps.setString(1, name);
                ps.executeQuery().close();
            }
        }
        try (Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name
                    + (admin.getMetaData().getDatabaseMajorVersion() >= 13 ? " WITH (FORCE)" : ""));
        }
    }

    /** Drops test databases older than {@link #STALE_AFTER}: left behind by a JVM that was killed. */
    static void dropStale(PostgresServer server, Clock clock) {
        try (Connection admin = Jdbc.open(server.adminUrl(), 10)) {
            dropStale(admin, clock);
        } catch (SQLException e) {
            log.warn("testkit: cannot drop stale test databases on {}", server, e);
        }
    }

    private static void dropStale(Connection admin, Clock clock) throws SQLException {
        long cutoff = clock.instant().minus(STALE_AFTER).getEpochSecond();
        List<String> stale = new ArrayList<>();
        try (PreparedStatement ps = admin.prepareStatement("SELECT datname FROM pg_database WHERE datname LIKE ?")) {
            ps.setString(1, PREFIX.replace("_", "\\_") + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Matcher m = NAME.matcher(rs.getString(1));
                    if (m.matches() && Long.parseLong(m.group(1)) < cutoff) {
                        stale.add(rs.getString(1));
                    }
                }
            }
        }
        for (String name : stale) {
            log.info("testkit: dropping stale test database {}", name);
            drop(admin, name);
        }
    }
}
