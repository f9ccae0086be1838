package io.celerypgmq.verifier;

/** The database has no {@code celery_pgmq.ledger}: the bridge never ran against it, so there is nothing to verify. */
public final class LedgerNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LedgerNotFoundException() {
        super("this database has no celery_pgmq.ledger: the bridge has not run against it"
                + " (or --database-url points elsewhere)");
    }
}
