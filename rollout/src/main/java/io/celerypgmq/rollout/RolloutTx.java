package io.celerypgmq.rollout;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** One connection's work on the rollout tables, in a transaction or as plain reads; SQL failures wrapped once. */
final class RolloutTx {
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private RolloutTx() {}

    static <T> T inTransaction(DataSource db, String doing, Work<T> work) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new RolloutStoreException(doing, e);
        }
    }

    static <T> T read(DataSource db, String doing, Work<T> work) {
        try (Connection c = db.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new RolloutStoreException(doing, e);
        }
    }
}
