package io.celerypgmq.replay;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job table: one row per replay job, and a session advisory lock per live run so a job never has two runners.
 * Killed runs leave their row {@code running}; the next run of the same job, or of any job of that kind, finds it
 * and redoes its in-flight batch before taking anything new.
 */
public final class ReplayJobs {
    /** First half of the advisory lock key: "rply", keeps replay's locks apart from anyone else's. */
    static final int LOCK_NAMESPACE = 0x72706c79;
    /** How long a start waits for the lock of a run that was just killed. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ReplayJobs.class);

    private static final String UPSERT = "INSERT INTO celery_pgmq.replay_jobs (job_id, kind, spec, state, inflight_key,"
            + " owner) VALUES (?, ?, ?::jsonb, 'running', ?, ?) ON CONFLICT (job_id) DO UPDATE SET state = 'running',"
            + " runs = celery_pgmq.replay_jobs.runs + 1, owner = EXCLUDED.owner, updated_at = now(),"
            + " finished_at = NULL RETURNING kind";

    /** An interrupted job of some kind: its id and the Redis in-flight list it may have left. */
    public record Unfinished(String jobId, String inflightKey) {}

    private final DataSource db;

    public ReplayJobs(DataSource db) {
        this.db = db;
    }

    /**
     * Starts a run of {@code jobId}: takes its lock (or throws {@link JobBusyException}) and marks it running.
     *
     * @throws IllegalArgumentException when the id already names a job of another kind
     */
    public JobLease begin(String jobId, ReplayKind kind, String specJson, String inflightKey) {
        Connection c = null;
        try {
            c = db.getConnection();
            c.setAutoCommit(true);
            if (!lockSoon(c, jobId)) {
                String owner = owner(c, jobId);
                c.close();
                throw new JobBusyException(jobId, owner);
            }
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                ps.setString(1, jobId);
                ps.setString(2, kind.label());
                ps.setString(3, specJson);
                ps.setString(4, inflightKey);
                ps.setString(5, self());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getString(1).equals(kind.label())) {
                        JobLease.unlock(c, jobId);
                        c.close();
                        throw new IllegalArgumentException(
                                "job id " + jobId + " already names a " + rs.getString(1) + " job");
                    }
                }
            }
            return new JobLease(db, c, jobId);
        } catch (SQLException e) {
            closeQuietly(c);
            throw new ReplayStoreException("starting replay job " + jobId, e);
        }
    }

    /**
     * Takes the job's lock, waiting a little: a run killed a moment ago keeps its lock until Postgres notices that
     * its client is gone, which can take until the statement it was running ends.
     */
    private static boolean lockSoon(Connection c, String jobId) throws SQLException {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        boolean logged = false;
        while (true) {
            if (JobLease.tryLock(c, jobId)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            if (!logged) {
                LOG.info(
                        "[replay] job {} is locked by another session; waiting up to {} s for it",
                        jobId,
                        LOCK_WAIT.toSeconds());
                logged = true;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Jobs of {@code kind} whose last run did not finish (killed), other than {@code except}. */
    public List<Unfinished> unfinished(ReplayKind kind, String except) {
        String sql = "SELECT job_id, inflight_key FROM celery_pgmq.replay_jobs WHERE kind = ? AND state = 'running'"
                + " AND job_id <> ? ORDER BY started_at";
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, kind.label());
            ps.setString(2, except);
            List<Unfinished> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Unfinished(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new ReplayStoreException("listing unfinished replay jobs", e);
        }
    }

    private static String owner(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT owner, started_at FROM celery_pgmq.replay_jobs WHERE job_id = ?")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? rs.getString(1) + ", started " + rs.getTimestamp(2).toInstant()
                        : "unknown owner";
            }
        }
    }

    static String self() {
        return ManagementFactory.getRuntimeMXBean().getName();
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing; the original error says more
            }
        }
    }
}
