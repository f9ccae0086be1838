package io.celerypgmq.bridge.codec;

import java.util.Objects;

/**
 * A value of kombu's {@code unacked} hash: {@code [envelope, exchange, routing_key]}, where exchange and routing key
 * are the ones the message was published with; a restore pushes the message back there.
 */
public record UnackedEntry(CeleryMessage message, String exchange, String routingKey) {
    public UnackedEntry {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(routingKey, "routingKey");
    }
}
