package io.celerypgmq.verifier.uptime;

import io.celerypgmq.bridge.pgmq.InvalidQueueNameException;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.QueueMetrics;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.verifier.SqlTime;
import io.celerypgmq.verifier.VerificationException;
import io.celerypgmq.verifier.VerifierSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code verify watch}: samples every pgmq queue ({@code pgmq.metrics_all()} plus how long its oldest visible message
 * has been readable) into {@code celery_pgmq.samples}, so uptime and backlog have a history that survives restarts.
 */
public final class QueueWatch {
    private static final Logger LOG = LoggerFactory.getLogger(QueueWatch.class);
    private static final String INSERT = "INSERT INTO celery_pgmq.samples (sampled_at, queue_name, queue_length,"
            + " visible_length, oldest_visible_age_sec, oldest_age_sec, total_messages) VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (queue_name, sampled_at) DO NOTHING";

    private final DataSource dataSource;
    private final PgmqClient pgmq;
    private final Clock clock;
    private final Duration retention;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private long failedPasses;
    private boolean installed;

    public QueueWatch(DataSource dataSource, Clock clock, Duration retention) {
        this.dataSource = dataSource;
        this.pgmq = new PgmqClient(dataSource);
        this.clock = clock;
        this.retention = retention;
    }

    /** Samples every {@code interval} until {@code duration} has passed (forever when {@code null}) or {@link #stop}. */
    public int run(Duration interval, Duration duration) {
        Instant end = duration == null ? null : clock.instant().plus(duration);
        int passes = 0;
        while (true) {
            try {
                List<QueueSample> samples = sampleOnce();
                LOG.debug("[watch] sampled {} queue(s)", samples.size());
            } catch (RuntimeException e) {
                failedPasses++;
                LOG.warn("[watch] sampling failed ({} failed passes so far): {}", failedPasses, e.getMessage(), e);
            }
            passes++;
            if (end != null && !clock.instant().plus(interval).isBefore(end)) {
                return passes;
            }
            if (await(interval)) {
                return passes;
            }
        }
    }

    /** Wakes {@link #run} and makes it return after the current pass. */
    public void stop() {
        stopped.countDown();
    }

    public long failedPasses() {
        return failedPasses;
    }

    /** Takes and stores one sample of every queue (installing the samples table the first time). */
    public List<QueueSample> sampleOnce() {
        if (!installed) {
            VerifierSchema.install(dataSource);
            installed = true;
        }
        Instant at = clock.instant();
        List<QueueSample> samples = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (QueueMetrics m : pgmq.metricsAll()) {
                Double oldestVisible = oldestVisibleAge(c, m.queueName());
                samples.add(new QueueSample(
                        at,
                        m.queueName(),
                        m.queueLength(),
                        m.queueVisibleLength(),
                        oldestVisible,
                        m.oldestMsgAgeSec() == null ? null : m.oldestMsgAgeSec().doubleValue(),
                        m.totalMessages()));
            }
            store(c, samples);
            prune(c, at);
        } catch (SQLException e) {
            throw new VerificationException("sampling pgmq queues", e);
        }
        return samples;
    }

    private static Double oldestVisibleAge(Connection c, String queue) throws SQLException {
        String table;
        try {
            table = "pgmq.\"" + QueueName.of(queue).queueTable().replace("\"", "\"\"") + "\"";
        } catch (InvalidQueueNameException e) {
            return null;
        }
        // A visible message has vt <= now, and vt is exactly when it became readable (send time, ETA or timeout).
        String sql = "SELECT extract(epoch FROM clock_timestamp() - min(vt)) FROM " + table
                + " WHERE vt <= clock_timestamp()";
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            double age = rs.getDouble(1);
            return rs.wasNull() ? null : age;
        }
    }

    private static void store(Connection c, List<QueueSample> samples) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (QueueSample s : samples) {
                SqlTime.set(ps, 1, s.sampledAt());
                ps.setString(2, s.queue());
                ps.setLong(3, s.queueLength());
                ps.setObject(4, s.visibleLength());
                ps.setObject(5, s.oldestVisibleAgeSeconds());
                ps.setObject(6, s.oldestAgeSeconds());
                ps.setLong(7, s.totalMessages());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    private void prune(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM celery_pgmq.samples WHERE sampled_at < ?")) {
            SqlTime.set(ps, 1, now.minus(retention));
            ps.executeUpdate();
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    private boolean await(Duration interval) {
        try {
            return stopped.await(interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
