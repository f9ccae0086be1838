package io.celerypgmq.verifier.criteria;

/**
 * What Celery's results say about one task type's entries that their consumer deleted from a queue without a DLQ
 * (a Celery worker on {@code pgmq://} acks and rejects by delete, so the delete alone says nothing of success).
 *
 * @param deleted such entries
 * @param failed those whose task has a {@code FAILURE} result
 * @param finished those whose task has a {@code SUCCESS} or {@code REVOKED} result
 * @param unavailable why no result could be read (no result backend, or it failed), else {@code null}
 */
public record DeletedOutcomes(long deleted, long failed, long finished, String unavailable) {
    public DeletedOutcomes {
        if (deleted < 0 || failed < 0 || finished < 0 || failed + finished > deleted) {
            throw new IllegalArgumentException("outcomes of " + deleted + " deleted entries cannot be " + failed
                    + " failed, " + finished + " finished");
        }
    }

    /** No results could be read for any of them. */
    public static DeletedOutcomes unread(long deleted, String why) {
        return new DeletedOutcomes(deleted, 0, 0, why);
    }

    /** Deleted entries without a final Celery result. */
    public long unknown() {
        return deleted - failed - finished;
    }
}
