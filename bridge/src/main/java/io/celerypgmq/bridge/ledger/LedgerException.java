package io.celerypgmq.bridge.ledger;

import io.celerypgmq.bridge.store.SqlFailure;
import java.sql.SQLException;

/**
 * A statement against the {@code celery_pgmq} schema failed; names what was being done, and the cause by SQLState and
 * the server's primary message only ({@link SqlFailure#describe}): never a parameter value, so no message body.
 */
public final class LedgerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final SqlFailure.Kind kind;

    public LedgerException(String doing, SQLException cause) {
        super(doing + " failed: " + SqlFailure.describe(cause), cause);
        this.kind = SqlFailure.kind(cause);
    }

    /** What the SQLState says caused it. */
    public SqlFailure.Kind kind() {
        return kind;
    }
}
