package io.celerypgmq.bridge.ledger;

import io.celerypgmq.config.Secrets;
import java.sql.SQLException;

/** A statement against the {@code celery_pgmq} schema failed; names what was being done. */
public final class LedgerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LedgerException(String doing, SQLException cause) {
        super(
                doing + " failed: " + Secrets.mask(cause.getMessage()) + " (SQLState " + cause.getSQLState() + ")",
                cause);
    }
}
