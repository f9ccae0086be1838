package io.celerypgmq.verifier.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.pgmq.InvalidQueueNameException;
import io.celerypgmq.bridge.pgmq.QueueName;
import java.util.Objects;
import java.util.Optional;

/**
 * How consumers dead-letter a message, so the verifier can find it: the DLQ is {@code <queue><suffix>} (the seeds'
 * {@code user_tasks_dlq}) or one shared queue (the seeds' {@code dlq}); the DLQ message names its source in headers
 * (or, seed style, in the message body) under these keys. A copy of the original headers (with the identity) also
 * matches.
 *
 * @param sharedQueue one DLQ for every queue, or {@code null} for per-queue DLQs
 * @param sourceQueueKey required to match in a shared DLQ, where msg ids of different queues collide
 */
public record DlqConvention(
        String suffix,
        String sharedQueue,
        String sourceMsgIdKey,
        String sourceQueueKey,
        String errorKey,
        String identityKey) {
    public static final String DEFAULT_SUFFIX = "_dlq";
    public static final String DEFAULT_SOURCE_MSG_ID_KEY = "original_msg_id";
    public static final String DEFAULT_SOURCE_QUEUE_KEY = "original_queue";
    public static final String DEFAULT_ERROR_KEY = "error";
    /** The identity header the bridge writes on every message ({@code CeleryHeaders.IDENTITY}). */
    public static final String DEFAULT_IDENTITY_KEY = "x-celery-identity";

    private static final ObjectMapper JSON = new ObjectMapper();

    public DlqConvention {
        Objects.requireNonNull(suffix, "suffix");
        requireKey(sourceMsgIdKey, "sourceMsgIdKey");
        requireKey(sourceQueueKey, "sourceQueueKey");
        requireKey(errorKey, "errorKey");
        requireKey(identityKey, "identityKey");
        if (sharedQueue == null && suffix.isEmpty()) {
            throw new IllegalArgumentException("a DLQ suffix is needed unless one shared DLQ queue is named");
        }
        if (sharedQueue != null) {
            sharedQueue = QueueName.of(sharedQueue).value();
        }
    }

    public static DlqConvention defaults() {
        return new DlqConvention(
                DEFAULT_SUFFIX,
                null,
                DEFAULT_SOURCE_MSG_ID_KEY,
                DEFAULT_SOURCE_QUEUE_KEY,
                DEFAULT_ERROR_KEY,
                DEFAULT_IDENTITY_KEY);
    }

    /** The DLQ of {@code queue}; empty when the suffixed name is not a valid pgmq queue name. */
    public Optional<QueueName> dlqOf(String queue) {
        if (sharedQueue != null) {
            return Optional.of(QueueName.of(sharedQueue));
        }
        try {
            return Optional.of(QueueName.of(queue + suffix));
        } catch (InvalidQueueNameException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code queue} is itself a DLQ under this convention (DLQs have no consumer to keep up). */
    public boolean isDlq(String queue) {
        return sharedQueue != null ? sharedQueue.equals(queue) : queue.endsWith(suffix);
    }

    /** The headers (JSON object text) a consumer should put on a dead-lettered copy, so it is found by identity. */
    public String headersFor(String sourceQueue, long sourceMsgId, String identity, String error) {
        ObjectNode h = JSON.createObjectNode();
        h.put(sourceMsgIdKey, Long.toString(sourceMsgId));
        h.put(sourceQueueKey, sourceQueue);
        h.put(errorKey, error);
        if (identity != null) {
            h.put(identityKey, identity);
        }
        return h.toString();
    }

    private static void requireKey(String key, String name) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(name + " is empty");
        }
    }
}
