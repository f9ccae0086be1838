package io.celerypgmq.bridge.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of {@code celery_pgmq.quarantine}. {@link #toString()} never shows the bytes: a quarantined message may carry
 * anything, and nothing of it belongs in a log.
 *
 * @param identity the message's identity (delivery tag) where it had one, else {@code null}
 * @param size the length of the quarantined bytes
 * @param raw the bytes, or {@code null} where only the listing was read
 */
public record QuarantinedMessage(
        long id,
        String fingerprint,
        String identity,
        String sourceKey,
        String reason,
        String detail,
        Instant firstSeen,
        Instant lastSeen,
        int seenCount,
        int size,
        byte[] raw) {

    public QuarantinedMessage {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(sourceKey, "sourceKey");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    /** Quarantined because its identity was already recorded with other content: it needs a new delivery tag. */
    public boolean isIdentityCollision() {
        return reason.toUpperCase(java.util.Locale.ROOT).contains("COLLISION");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuarantinedMessage q && q.id == id;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return "QuarantinedMessage[#" + id + " " + reason + " from " + sourceKey + ", " + size + " bytes, seen "
                + seenCount + "x]";
    }
}
