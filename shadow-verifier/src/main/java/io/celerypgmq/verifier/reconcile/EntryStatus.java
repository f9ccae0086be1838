package io.celerypgmq.verifier.reconcile;

/**
 * Where a ledger entry (one message handed to pgmq) is now. Checked in this order, so a message that was copied to
 * the DLQ and then archived counts as dead-lettered, not as done. Zero loss means no {@link #MISSING}.
 */
public enum EntryStatus {
    /** Recorded by the bridge as expired instead of being sent. */
    EXPIRED,
    /** Found in the queue's dead-letter queue, matched by source msg id or identity. */
    DEAD_LETTERED,
    /** In {@code a_<queue>}: a consumer finished it. */
    ARCHIVED,
    /** Still in {@code q_<queue>}, visible or in flight. */
    PENDING,
    /** Deleted from the queue (delete, pop, purge), as the completion log recorded. */
    DELETED,
    /** In the quarantine under its identity. */
    QUARANTINED,
    /**
     * In none of the above, sent to a queue before its deletes were logged: a consumer may have deleted it before the
     * completion log existed (Celery workers on {@code pgmq://} ack by delete), or it was lost; nothing can tell.
     */
    UNKNOWN,
    /** In none of the above: lost, or deleted from a queue whose deletes are not logged. */
    MISSING
}
