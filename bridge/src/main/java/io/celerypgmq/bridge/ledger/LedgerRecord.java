package io.celerypgmq.bridge.ledger;

import java.util.Objects;

/**
 * What the ledger says about one identity: the decision that committed for it and the content it was made for. A
 * batch redone after a crash follows this decision (DESIGN invariant 7); a message with the same identity and other
 * content is a collision, not a duplicate (invariant 9).
 *
 * @param route {@code pgmq}, {@code shadow} or {@code replay}: where the first decision sent it
 * @param digest the content digest recorded with it, or {@code null} for rows written before schema 5
 * @param pgmqMsgId the pgmq message it became, or {@code null} when it was recorded as expired
 */
public record LedgerRecord(
        String identity,
        String taskId,
        String taskName,
        String route,
        boolean expired,
        Long digest,
        String pgmqQueue,
        Long pgmqMsgId) {
    public static final String SHADOW = "shadow";

    public LedgerRecord {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(route, "route");
    }

    /** Whether the first decision also sent the message to Celery (a shadow copy): a redo must finish that side. */
    public boolean alsoToCelery() {
        return SHADOW.equals(route);
    }

    /**
     * Whether a message with this task id, task name and content digest is the one recorded. A row without a digest
     * (written before schema 5) is compared by task id and name alone.
     */
    public boolean sameMessage(String otherTaskId, String otherTaskName, Long otherDigest) {
        return Objects.equals(taskId, otherTaskId)
                && Objects.equals(taskName, otherTaskName)
                && (digest == null || otherDigest == null || digest.equals(otherDigest));
    }
}
