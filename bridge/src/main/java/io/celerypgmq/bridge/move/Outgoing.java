package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.ledger.LedgerEntry;
import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.QueueName;

/**
 * A message bound for pgmq: its ledger row and what to send. {@code message}, {@code headers} and {@code delay} are
 * null when the ledger records it as expired instead of sending it. {@code envelope} is the original kombu envelope
 * that the ledger row keeps for a byte-exact rollback, or null (keep-envelope off, {@code kombu} format, expired).
 * {@code from} is the decoded message it was made from (its bytes go to quarantine if pgmq cannot store it), and
 * {@code flowRoute}/{@code flowDirection} the flow count it added, which a quarantine takes back.
 */
record Outgoing(
        LedgerEntry entry,
        QueueName queue,
        String message,
        String headers,
        Delay delay,
        byte[] envelope,
        Decoded from,
        String flowRoute,
        String flowDirection) {

    boolean isSent() {
        return !entry.expired();
    }
}
