package io.celerypgmq.bridge.doctor;

import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.route.KombuQueueNames;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@code doctor} looks.
 *
 * @param visibilityTimeoutSeconds Celery's {@code broker_transport_options['visibility_timeout']} (kombu's default
 *     3600): an ETA further away than this is restored and run twice
 * @param consumerSample how long to watch queues with a backlog for a consumer taking from them
 * @param maxMessages stop scanning messages after this many (0: all)
 * @param skewWarning clock differences at least this large are warned about
 * @param skewError clock differences at least this large are errors
 * @param pgmqVisibilityTimeoutSeconds the visibility timeout of Celery workers on kombu's {@code pgmq://} transport
 *     (kombu 5.7's default 1800): an ETA or a task runtime beyond it runs twice
 * @param kombuQueueNames how kombu's pgmq transport names queues ({@code queue_name_prefix})
 */
public record DoctorOptions(
        PriorityKeys keys,
        int visibilityTimeoutSeconds,
        Duration consumerSample,
        long maxMessages,
        Duration skewWarning,
        Duration skewError,
        int pgmqVisibilityTimeoutSeconds,
        KombuQueueNames kombuQueueNames) {
    public static final int DEFAULT_VISIBILITY_TIMEOUT = 3600;
    public static final Duration DEFAULT_CONSUMER_SAMPLE = Duration.ofSeconds(2);
    public static final long DEFAULT_MAX_MESSAGES = 1_000_000;
    public static final Duration DEFAULT_SKEW_WARNING = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SKEW_ERROR = Duration.ofSeconds(30);
    /** kombu 5.7's pgmq transport: {@code Channel.default_visibility_timeout}. */
    public static final int DEFAULT_PGMQ_VISIBILITY_TIMEOUT = 1800;

    public DoctorOptions {
        Objects.requireNonNull(keys, "keys");
        if (visibilityTimeoutSeconds < 1) {
            throw new IllegalArgumentException(
                    "visibility timeout must be at least 1 s, got " + visibilityTimeoutSeconds);
        }
        if (consumerSample.isNegative()) {
            throw new IllegalArgumentException("consumer sample must not be negative, got " + consumerSample);
        }
        if (maxMessages < 0) {
            throw new IllegalArgumentException("max messages must be 0 (all) or positive, got " + maxMessages);
        }
        if (pgmqVisibilityTimeoutSeconds < 1) {
            throw new IllegalArgumentException(
                    "pgmq visibility timeout must be at least 1 s, got " + pgmqVisibilityTimeoutSeconds);
        }
        Objects.requireNonNull(kombuQueueNames, "kombuQueueNames");
        if (skewError.compareTo(skewWarning) < 0) {
            throw new IllegalArgumentException("the skew error threshold must not be below the warning threshold");
        }
    }

    public static DoctorOptions defaults(PriorityKeys keys) {
        return new DoctorOptions(
                keys,
                DEFAULT_VISIBILITY_TIMEOUT,
                DEFAULT_CONSUMER_SAMPLE,
                DEFAULT_MAX_MESSAGES,
                DEFAULT_SKEW_WARNING,
                DEFAULT_SKEW_ERROR,
                DEFAULT_PGMQ_VISIBILITY_TIMEOUT,
                KombuQueueNames.defaults());
    }

    public DoctorOptions withVisibilityTimeout(int seconds) {
        return new DoctorOptions(
                keys,
                seconds,
                consumerSample,
                maxMessages,
                skewWarning,
                skewError,
                pgmqVisibilityTimeoutSeconds,
                kombuQueueNames);
    }

    public DoctorOptions withConsumerSample(Duration value) {
        return new DoctorOptions(
                keys,
                visibilityTimeoutSeconds,
                value,
                maxMessages,
                skewWarning,
                skewError,
                pgmqVisibilityTimeoutSeconds,
                kombuQueueNames);
    }

    public DoctorOptions withMaxMessages(long value) {
        return new DoctorOptions(
                keys,
                visibilityTimeoutSeconds,
                consumerSample,
                value,
                skewWarning,
                skewError,
                pgmqVisibilityTimeoutSeconds,
                kombuQueueNames);
    }

    /** Celery on {@code pgmq://}: its workers' visibility timeout and queue name prefix. */
    public DoctorOptions withCeleryOnPgmq(int visibilityTimeoutSeconds, KombuQueueNames names) {
        return new DoctorOptions(
                keys,
                this.visibilityTimeoutSeconds,
                consumerSample,
                maxMessages,
                skewWarning,
                skewError,
                visibilityTimeoutSeconds,
                names);
    }
}
