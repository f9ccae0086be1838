package io.celerypgmq.bridge.inspect;

import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.UndecodableMessageException;
import java.util.Objects;

/**
 * One message found in Redis: decoded, or the reason it does not decode.
 *
 * @param key the list (or the {@code unacked} hash) it sits in
 * @param queue the queue it belongs to: the list's queue, or for an {@code unacked} entry the queue a restore pushes it
 *     back to; {@code null} when that cannot be told
 * @param unacked whether it sits in {@code unacked} (reserved by a worker, or left there by a dead one)
 * @param exchange for an {@code unacked} entry, the exchange it was published to; otherwise {@code null}
 * @param deliveredAt for an {@code unacked} entry, when kombu delivered it (epoch seconds), if known
 * @param size the raw element's size in bytes
 */
public record InspectedMessage(
        String key,
        String queue,
        boolean unacked,
        String exchange,
        Double deliveredAt,
        int size,
        CeleryMessage message,
        UndecodableMessageException error) {

    public InspectedMessage {
        Objects.requireNonNull(key, "key");
        if ((message == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of message and error must be given");
        }
    }

    public boolean decoded() {
        return message != null;
    }
}
