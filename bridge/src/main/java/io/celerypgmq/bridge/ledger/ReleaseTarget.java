package io.celerypgmq.bridge.ledger;

import io.celerypgmq.bridge.pgmq.QueueName;
import java.util.Optional;

/**
 * Where a released quarantined message goes: a Redis list (where the bridge routes it again, or a Celery list) or a
 * pgmq queue. Written {@code redis:<list>} and {@code pgmq:<queue>}, as the audit trail stores it.
 */
public sealed interface ReleaseTarget {
    /** A Redis list: the message is LPUSHed there once. */
    record RedisList(String key) implements ReleaseTarget {
        public RedisList {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("a Redis list needs a name");
            }
        }

        @Override
        public String toString() {
            return "redis:" + key;
        }
    }

    /** A pgmq queue: the message is sent there in the transaction that records the release. */
    record PgmqQueue(QueueName queue) implements ReleaseTarget {
        @Override
        public String toString() {
            return "pgmq:" + queue.value();
        }
    }

    /** {@code redis:<list>} or {@code pgmq:<queue>}. */
    static ReleaseTarget parse(String text) {
        if (text.startsWith("redis:")) {
            return new RedisList(text.substring("redis:".length()));
        }
        if (text.startsWith("pgmq:")) {
            return new PgmqQueue(QueueName.of(text.substring("pgmq:".length())));
        }
        throw new IllegalArgumentException("a release target is redis:<list> or pgmq:<queue>, not '" + text + "'");
    }

    /**
     * Where a message quarantined from {@code sourceKey} goes back by default: the pgmq queue of a way-back quarantine
     * ({@code pgmq:<queue>}), else the Redis list it was taken from. A message from kombu's {@code unacked} hash (a
     * {@code [message, exchange, routing_key]} triple) has no list of its own: the operator names one.
     */
    static Optional<ReleaseTarget> defaultFor(String sourceKey, String unackedKey) {
        if (sourceKey.startsWith("pgmq:")) {
            return Optional.of(new PgmqQueue(QueueName.of(sourceKey.substring("pgmq:".length()))));
        }
        if (sourceKey.equals(unackedKey)) {
            return Optional.empty();
        }
        return Optional.of(new RedisList(sourceKey));
    }
}
