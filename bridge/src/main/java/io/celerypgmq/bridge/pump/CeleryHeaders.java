package io.celerypgmq.bridge.pump;

/**
 * The pgmq header keys the bridge writes, so a pgmq worker (and the reverse pump) finds the Celery metadata, and the
 * verifier finds the identity. Kept in one place because the reverse pump and the verifier read them back.
 */
public final class CeleryHeaders {
    public static final String IDENTITY = "x-celery-identity";
    public static final String TASK = "x-celery-task";
    public static final String ID = "x-celery-id";
    public static final String SOURCE = "x-celery-source";
    public static final String QUEUE = "x-celery-queue";
    public static final String ETA = "x-celery-eta";
    public static final String EXPIRES = "x-celery-expires";
    public static final String RETRIES = "x-celery-retries";
    public static final String ROOT_ID = "x-celery-root-id";
    public static final String PARENT_ID = "x-celery-parent-id";
    public static final String GROUP = "x-celery-group";
    public static final String PRIORITY = "x-celery-priority";
    public static final String FORMAT = "x-celery-format";
    public static final String ROUTE = "x-celery-route";
    /**
     * The original kombu envelope text, for a byte-exact rollback. Earlier builds wrote it; the ledger row keeps it now
     * ({@code celery_pgmq.ledger.envelope}), and the way back still reads this header where a message has it.
     */
    public static final String ENVELOPE = "x-celery-envelope";

    private CeleryHeaders() {}
}
