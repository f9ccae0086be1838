package io.celerypgmq.bridge.pgmq;

import io.celerypgmq.config.Secrets;
import java.sql.SQLException;

/** Turns a driver failure into the one pgmq exception that names what went wrong; wraps once, at this boundary. */
final class Failures {
    private static final String UNDEFINED_TABLE = "42P01";
    private static final String UNDEFINED_FUNCTION = "42883";
    private static final String INVALID_SCHEMA_NAME = "3F000";

    private Failures() {}

    static PgmqException wrap(SQLException e, PgmqCall call, QueueName queue) {
        String state = e.getSQLState();
        String detail = Secrets.mask(e.getMessage());
        String where = "pgmq " + call.function() + (queue == null ? "" : " on queue '" + queue + "'");
        if (UNDEFINED_TABLE.equals(state) && queue != null) {
            return new QueueNotFoundException(
                    call.function(), queue, where + " failed: queue does not exist (" + detail + ")", state, e);
        }
        if (UNDEFINED_FUNCTION.equals(state) && detail != null && detail.contains("pgmq.")) {
            return new PgmqVersionException(
                    call.function(),
                    queue,
                    where + " failed: this pgmq has no " + call.signature() + ", which needs pgmq >= " + call.since()
                            + " (" + detail + ")",
                    state,
                    e);
        }
        if (INVALID_SCHEMA_NAME.equals(state)) {
            return new PgmqException(
                    call.function(), queue, where + " failed: pgmq is not installed (" + detail + ")", state, e);
        }
        return new PgmqException(call.function(), queue, where + " failed: " + detail, state, e);
    }

    /** A failure outside any one pgmq function: borrowing, committing or rolling back the connection. */
    static PgmqException wrap(SQLException e, String operation, QueueName queue) {
        String where = "pgmq " + operation + (queue == null ? "" : " on queue '" + queue + "'");
        return new PgmqException(
                operation, queue, where + " failed: " + Secrets.mask(e.getMessage()), e.getSQLState(), e);
    }
}
