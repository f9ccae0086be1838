package io.celerypgmq.bridge.route;

import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.Setting;
import java.util.Objects;

/**
 * The pgmq queue kombu 5.7's pgmq transport uses for a Celery queue: {@code Channel.canonical_queue_name}, that is
 * {@code entity_name(queue_name_prefix + name)}, where every ASCII punctuation character except {@code _} becomes
 * {@code _}. Nothing else changes: not case, not length, not non-ASCII letters (pgmq lower-cases table names itself,
 * and {@link io.celerypgmq.bridge.pgmq.QueueName} judges what pgmq can take). A worker started with {@code -Q k57.fast-q}
 * on {@code pgmq://} reads pgmq queue {@code k57_fast_q}, so a {@code kombu}-format route must write there.
 *
 * @param prefix the transport's {@code queue_name_prefix} option ({@code broker_transport_options}); it is mapped too
 */
public record KombuQueueNames(String prefix) {
    /** kombu's default: no prefix. */
    public static final String DEFAULT_PREFIX = "";

    public static final Setting<String> PREFIX = Setting.text(
            "kombu.queue-name-prefix",
            "broker_transport_options['queue_name_prefix'] of your Celery workers on pgmq:// (kombu 5.7): kombu-format"
                    + " routes write to the pgmq queue kombu names prefix + Celery queue, punctuation mapped to '_'.",
            DEFAULT_PREFIX);

    /** Python's {@code string.punctuation} without {@code _}: what kombu's {@code CHARS_REPLACE_TABLE} maps. */
    static final String MAPPED = "!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~";

    public KombuQueueNames {
        Objects.requireNonNull(prefix, "prefix");
    }

    public static KombuQueueNames defaults() {
        return new KombuQueueNames(DEFAULT_PREFIX);
    }

    public static KombuQueueNames from(ConfigSource source) {
        String configured = source.get(PREFIX);
        return new KombuQueueNames(configured == null ? DEFAULT_PREFIX : configured);
    }

    /** The pgmq queue name kombu gives {@code celeryQueue}, prefix included. */
    public String pgmqName(String celeryQueue) {
        Objects.requireNonNull(celeryQueue, "celeryQueue");
        String name = prefix + celeryQueue;
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out.append(MAPPED.indexOf(c) >= 0 ? '_' : c);
        }
        return out.toString();
    }

    /** Whether kombu's pgmq queue for {@code celeryQueue} is named differently from the Celery queue. */
    public boolean renames(String celeryQueue) {
        return !pgmqName(celeryQueue).equals(celeryQueue);
    }
}
