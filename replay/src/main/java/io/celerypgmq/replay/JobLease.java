package io.celerypgmq.replay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One live run of a replay job. It holds the job's session advisory lock on its own connection until {@link #close};
 * if the process dies, Postgres drops the session and with it the lock, so the next run can take over at once.
 */
public final class JobLease implements AutoCloseable {
    private final DataSource db;
    private final Connection lockConnection;
    private final String jobId;
    private boolean closed;

    JobLease(DataSource db, Connection lockConnection, String jobId) {
        this.db = db;
        this.lockConnection = lockConnection;
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }

    static boolean tryLock(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
            ps.setInt(1, ReplayJobs.LOCK_NAMESPACE);
            ps.setString(2, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    static void unlock(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
            ps.setInt(1, ReplayJobs.LOCK_NAMESPACE);
            ps.setString(2, jobId);
            ps.execute();
        }
    }

    /** Takes another (interrupted) job's lock on this run's connection; false when that job is alive. */
    boolean adopt(String otherJob) {
        try {
            return tryLock(lockConnection, otherJob);
        } catch (SQLException e) {
            throw new ReplayStoreException("locking replay job " + otherJob, e);
        }
    }

    /** Marks an adopted job finished (its in-flight batch was redone) and releases its lock. */
    void release(String otherJob, JobState state) {
        try {
            mark(lockConnection, otherJob, state, null);
            unlock(lockConnection, otherJob);
        } catch (SQLException e) {
            throw new ReplayStoreException("releasing replay job " + otherJob, e);
        }
    }

    /** Adds to the job's moved count inside the caller's transaction (the one that moved the messages). */
    public void addMoved(Connection tx, long n) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "UPDATE celery_pgmq.replay_jobs SET moved = moved + ?, updated_at = now() WHERE job_id = ?")) {
            ps.setLong(1, n);
            ps.setString(2, jobId);
            ps.executeUpdate();
        }
    }

    /** The job's moved count over all its runs (as counted by {@link #addMoved}). */
    public long moved() {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT moved FROM celery_pgmq.replay_jobs WHERE job_id = ?")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new ReplayStoreException("reading replay job " + jobId, e);
        }
    }

    /** Records how the run ended and its report. */
    public void finish(JobState state, String reportJson) {
        try {
            mark(lockConnection, jobId, state, reportJson);
        } catch (SQLException e) {
            throw new ReplayStoreException("finishing replay job " + jobId, e);
        }
    }

    private static void mark(Connection c, String job, JobState state, String reportJson) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE celery_pgmq.replay_jobs SET state = ?, updated_at ="
                + " now(), finished_at = now(), report = coalesce(?::jsonb, report) WHERE job_id = ?")) {
            ps.setString(1, state.label());
            ps.setString(2, reportJson);
            ps.setString(3, job);
            ps.executeUpdate();
        }
    }

    /** Releases the lock and the connection. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Connection c = lockConnection) {
            unlock(c, jobId);
        } catch (SQLException e) {
            // Closing the connection ends the session anyway once the pool retires it; say so and move on.
            org.slf4j.LoggerFactory.getLogger(JobLease.class)
                    .warn("[replay] could not release the lock of job {}: {}", jobId, e.getMessage());
        }
    }
}
