package io.celerypgmq.bridge.inspect;

import java.util.Objects;
import java.util.Optional;

/**
 * One member of a {@code _kombu.binding.<exchange>} set: {@code <routing_key><sep><pattern><sep><queue>}. kombu looks
 * these up to find where a message published to a named exchange goes; a missing one silently drops the message.
 *
 * @param exchange the exchange, taken from the set's key (without {@code global_keyprefix})
 * @param pattern the topic regex, empty for a direct or fanout exchange
 */
public record Binding(String exchange, String routingKey, String pattern, String queue) {
    public static final String KEY_PREFIX = "_kombu.binding.";

    public Binding {
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(routingKey, "routingKey");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(queue, "queue");
    }

    /** Parses a set member; empty when it does not have kombu's three parts. */
    public static Optional<Binding> parse(String exchange, String member, String separator) {
        int first = member.indexOf(separator);
        if (first < 0) {
            return Optional.empty();
        }
        int second = member.indexOf(separator, first + separator.length());
        if (second < 0) {
            return Optional.empty();
        }
        String queue = member.substring(second + separator.length());
        if (queue.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Binding(
                exchange, member.substring(0, first), member.substring(first + separator.length(), second), queue));
    }

    /**
     * Bindings Celery workers make for their own remote-control and event traffic: transient queues per worker
     * process, consumed by pub/sub rather than from a list, so they say nothing about task queues.
     */
    public boolean isCeleryInternal() {
        return exchange.equals("celery.pidbox")
                || exchange.equals("reply.celery.pidbox")
                || exchange.equals("celeryev")
                || queue.endsWith(".celery.pidbox")
                || queue.startsWith("celeryev.");
    }
}
