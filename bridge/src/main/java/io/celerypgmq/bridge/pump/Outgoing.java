package io.celerypgmq.bridge.pump;

import io.celerypgmq.bridge.ledger.LedgerEntry;
import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.QueueName;

/**
 * A message bound for pgmq: its ledger row and what to send. {@code message}, {@code headers} and {@code delay} are
 * null when the ledger records it as expired instead of sending it.
 */
public record Outgoing(LedgerEntry entry, QueueName queue, String message, String headers, Delay delay) {
    public boolean isSent() {
        return !entry.expired();
    }
}
