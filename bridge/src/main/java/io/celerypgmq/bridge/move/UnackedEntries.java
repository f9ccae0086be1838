package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.codec.UnackedEntry;

/**
 * Claimed elements that are not list messages but values of kombu's {@code unacked} hash
 * ({@code [envelope, exchange, routing_key]}): which key marks them, and which Celery queue an entry belongs to (kombu
 * restores it there), which may take a look at Redis' bindings.
 */
public interface UnackedEntries {
    /** No claimed element is an unacked entry. */
    UnackedEntries NONE = new UnackedEntries() {
        @Override
        public String hashKey() {
            return null;
        }

        @Override
        public String queueOf(UnackedEntry entry) {
            throw new IllegalStateException("no unacked entries expected");
        }
    };

    /** The source key claimed unacked entries carry: kombu's {@code unacked} hash, or null for none. */
    String hashKey();

    /** The queue kombu would restore {@code entry} to. */
    String queueOf(UnackedEntry entry);
}
