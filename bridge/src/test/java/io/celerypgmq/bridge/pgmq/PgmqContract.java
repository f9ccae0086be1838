package io.celerypgmq.bridge.pgmq;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the pgmq contract suites: each concrete class installs one pgmq (our compatible schema, or the real
 * extension) into its own fresh database, and every test there runs against it. Tests use their own queues.
 */
@RealBackends
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PgmqContract {
    private final AtomicInteger queues = new AtomicInteger();
    protected DataSource dataSource;
    protected PgmqStatus status;
    protected PgmqClient client;
    private String notTestedBecause;

    /** Installs the pgmq under test, or says why this run does not test it. */
    abstract PgmqTargets.Target install(TestPostgres pg);

    @BeforeAll
    void installPgmq(TestPostgres pg) {
        dataSource = pg.dataSource();
        client = new PgmqClient(dataSource);
        PgmqTargets.Target target = install(pg);
        status = target.status();
        // Abort each test rather than the class, so reports count them as skipped instead of not run.
        notTestedBecause = target.notTestedBecause();
    }

    @BeforeEach
    void skipWhenThisPgmqIsNotTested() {
        assumeTrue(notTestedBecause == null, notTestedBecause);
    }

    /** A new, created queue with a name no other test uses. */
    QueueName createdQueue() {
        QueueName queue = unusedQueue();
        client.create(queue);
        return queue;
    }

    QueueName unusedQueue() {
        // The contracts of one target share a database: the suite's name keeps their queues apart.
        return QueueName.of(getClass().getSimpleName().toLowerCase(Locale.ROOT) + "_" + queues.incrementAndGet());
    }

    /** Skips a test on real pgmq releases older than the one that added what it checks. */
    void requiresPgmq(String version) {
        assumeTrue(pgmqAtLeast(version), "needs pgmq >= " + version + ", testing " + status.describe());
    }

    /** Whether the pgmq under test has the behaviour of {@code version}; our schema has the 1.13 API. */
    boolean pgmqAtLeast(String version) {
        return status.kind() != PgmqStatus.Kind.EXTENSION
                || PgmqVersion.parse(status.version()).isAtLeast(PgmqVersion.parse(version));
    }

    /** The first column of the first row of {@code sql}, run outside the client. */
    <T> T queryValue(Class<T> type, String sql, Object... params) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = prepare(c, sql, params);
                ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw new AssertionError("no row from " + sql);
            }
            return rs.getObject(1, type);
        } catch (SQLException e) {
            throw new AssertionError(sql + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code sql} and returns the server's error, failing when there is none. */
    SQLException sqlError(String sql, Object... params) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = prepare(c, sql, params)) {
            s.execute();
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("expected an error from " + sql);
    }

    Instant databaseNow() {
        return queryValue(OffsetDateTime.class, "SELECT clock_timestamp()").toInstant();
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            s.setObject(i + 1, params[i]);
        }
        return s;
    }
}
