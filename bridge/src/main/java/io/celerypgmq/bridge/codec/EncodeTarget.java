package io.celerypgmq.bridge.codec;

import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Where and how a message is to be written: the queue it is pushed to (it becomes
 * {@code delivery_info.routing_key}), the priority ({@code null} keeps the message's own), the task protocol, the
 * serializer and the compression ({@code null} for none), and where fresh delivery tags come from.
 */
public record EncodeTarget(
        String queue,
        Integer priority,
        int protocol,
        Serializer serializer,
        Compression compression,
        Supplier<UUID> deliveryTags) {

    public EncodeTarget {
        if (queue == null || queue.isEmpty()) {
            throw new IllegalArgumentException("target queue must not be empty");
        }
        if (protocol != 1 && protocol != 2) {
            throw new IllegalArgumentException("protocol must be 1 or 2, not " + protocol);
        }
        Objects.requireNonNull(serializer, "serializer");
        Objects.requireNonNull(deliveryTags, "deliveryTags");
        if (serializer == Serializer.PICKLE) {
            throw new IllegalArgumentException("the codec never writes pickle");
        }
        if (compression == Compression.BROTLI) {
            throw new IllegalArgumentException("brotli can be read but not written (no encoder available)");
        }
    }

    /** Protocol 2, JSON, no compression, the message's own priority: what a stock Celery 5.2 producer writes. */
    public static EncodeTarget of(String queue, Supplier<UUID> deliveryTags) {
        return new EncodeTarget(queue, null, 2, Serializer.JSON, null, deliveryTags);
    }

    /** Protocol 2 JSON with random uuid4 delivery tags. */
    public static EncodeTarget of(String queue) {
        return of(queue, UUID::randomUUID);
    }

    public EncodeTarget withPriority(Integer value) {
        return new EncodeTarget(queue, value, protocol, serializer, compression, deliveryTags);
    }

    public EncodeTarget withProtocol(int value) {
        return new EncodeTarget(queue, priority, value, serializer, compression, deliveryTags);
    }

    public EncodeTarget withSerializer(Serializer value) {
        return new EncodeTarget(queue, priority, protocol, value, compression, deliveryTags);
    }

    public EncodeTarget withCompression(Compression value) {
        return new EncodeTarget(queue, priority, protocol, serializer, value, deliveryTags);
    }

    /** The same queue, priority, protocol, serializer and compression the message already has. */
    public static EncodeTarget sameAs(CeleryMessage message, Supplier<UUID> deliveryTags) {
        String queue = message.routingKey() != null ? message.routingKey() : "celery";
        Serializer serializer =
                message.serializer().filter(s -> s != Serializer.PICKLE).orElse(Serializer.JSON);
        Compression compression = message.compression() == null
                ? null
                : Compression.forHeader(message.compression())
                        .filter(c -> c != Compression.BROTLI)
                        .orElse(null);
        return new EncodeTarget(queue, message.priority(), message.protocol(), serializer, compression, deliveryTags);
    }
}
