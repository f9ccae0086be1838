package io.celerypgmq.bridge.pump;

import io.celerypgmq.bridge.ledger.LedgerEntry;
import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.QueueName;

/**
 * A message bound for pgmq: its ledger row and what to send. {@code message}, {@code headers} and {@code delay} are
 * null when the ledger records it as expired instead of sending it. {@code envelope} is the original kombu envelope
 * that the ledger row keeps for a byte-exact rollback, or null (keep-envelope off, {@code kombu} format, expired).
 */
public record Outgoing(
        LedgerEntry entry, QueueName queue, String message, String headers, Delay delay, byte[] envelope) {
    /** With the envelope of this one: a message re-labelled on its way keeps what it had. */
    public Outgoing withEntry(LedgerEntry other) {
        return new Outgoing(other, queue, message, headers, delay, envelope);
    }

    public boolean isSent() {
        return !entry.expired();
    }
}
