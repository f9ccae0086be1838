package io.celerypgmq.bridge.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * One message handed to pgmq (or recorded as expired instead), as the ledger keeps it.
 *
 * @param identity kombu delivery_tag, or {@code sha256:<hex>} of the raw bytes
 * @param route {@code pgmq}, {@code shadow} or {@code replay}
 * @param eta when the task may run, or {@code null}
 * @param expired whether it was recorded as expired by policy instead of being sent
 * @param digest the message's content digest ({@code KombuEnvelope.contentDigest}), or {@code null} where unknown
 */
public record LedgerEntry(
        String identity,
        String taskId,
        String taskName,
        String sourceKey,
        String route,
        String pgmqQueue,
        Instant eta,
        boolean expired,
        Long digest) {

    /** An entry without a content digest. */
    public LedgerEntry(
            String identity,
            String taskId,
            String taskName,
            String sourceKey,
            String route,
            String pgmqQueue,
            Instant eta,
            boolean expired) {
        this(identity, taskId, taskName, sourceKey, route, pgmqQueue, eta, expired, null);
    }

    public LedgerEntry {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(taskName, "taskName");
        Objects.requireNonNull(sourceKey, "sourceKey");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(pgmqQueue, "pgmqQueue");
    }

    /** The same entry under another source key (an {@code unacked} entry is recorded as coming from the hash). */
    public LedgerEntry fromSource(String otherSource) {
        return new LedgerEntry(identity, taskId, taskName, otherSource, route, pgmqQueue, eta, expired, digest);
    }
}
