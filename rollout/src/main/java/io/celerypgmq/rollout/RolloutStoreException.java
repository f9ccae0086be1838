package io.celerypgmq.rollout;

import java.sql.SQLException;

/** Reading or writing rollouts in Postgres failed; wraps the driver's {@link SQLException} once, with what was done. */
public final class RolloutStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RolloutStoreException(String doing, SQLException cause) {
        super(doing + ": " + cause.getMessage(), cause);
    }
}
