package io.celerypgmq.replay;

/** Postgres refused or failed a replay bookkeeping statement; says which. */
public final class ReplayStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReplayStoreException(String doing, Throwable cause) {
        super(doing + " failed: " + cause.getMessage(), cause);
    }
}
