package io.celerypgmq.bridge.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * kombu's Redis priority lists: a message with priority {@code p} goes to {@code queue} when its step is 0 and to
 * {@code queue + sep + step} otherwise, where {@code step = steps[bisect_right(steps, clamp(p, 0, 9)) - 1]}. With
 * {@code global_keyprefix} every key is prefixed, while message content is not. Steps are used in the order given, as
 * kombu does, and Python's negative indexing is kept: a priority below the first step maps to the last step.
 */
public final class PriorityKeys {
    public static final String DEFAULT_SEPARATOR = "\u0006\u0016";
    public static final List<Integer> DEFAULT_STEPS = List.of(0, 3, 6, 9);
    public static final int MIN_PRIORITY = 0;
    public static final int MAX_PRIORITY = 9;

    private final List<Integer> steps;
    private final String separator;
    private final String globalKeyPrefix;

    /** A list key split into the queue it serves and the priority step it holds. */
    public record QueueStep(String queue, int step) {
        public QueueStep {
            Objects.requireNonNull(queue, "queue");
        }
    }

    public PriorityKeys(List<Integer> steps, String separator, String globalKeyPrefix) {
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException("priority steps must not be empty");
        }
        for (Integer s : steps) {
            if (s == null || s < MIN_PRIORITY || s > MAX_PRIORITY) {
                throw new IllegalArgumentException("priority steps must be within 0..9, got " + steps);
            }
        }
        if (separator == null || separator.isEmpty()) {
            throw new IllegalArgumentException("priority separator must not be empty");
        }
        this.steps = List.copyOf(steps);
        this.separator = separator;
        this.globalKeyPrefix = globalKeyPrefix == null ? "" : globalKeyPrefix;
    }

    public static PriorityKeys defaults() {
        return new PriorityKeys(DEFAULT_STEPS, DEFAULT_SEPARATOR, "");
    }

    public PriorityKeys withSteps(List<Integer> value) {
        return new PriorityKeys(value, separator, globalKeyPrefix);
    }

    public PriorityKeys withSeparator(String value) {
        return new PriorityKeys(steps, value, globalKeyPrefix);
    }

    public PriorityKeys withGlobalKeyPrefix(String value) {
        return new PriorityKeys(steps, separator, value);
    }

    public List<Integer> steps() {
        return steps;
    }

    public String separator() {
        return separator;
    }

    public String globalKeyPrefix() {
        return globalKeyPrefix;
    }

    /** kombu's {@code unacked} hash (delivery tag → [envelope, exchange, routing key]), under the global prefix. */
    public String unackedKey() {
        return globalKeyPrefix + "unacked";
    }

    /** kombu's {@code unacked_index} sorted set (delivery tag → delivery time). */
    public String unackedIndexKey() {
        return globalKeyPrefix + "unacked_index";
    }

    /** The lock a worker holds while it restores unacked messages. */
    public String unackedMutexKey() {
        return globalKeyPrefix + "unacked_mutex";
    }

    /** kombu clamps to 0..9 and treats a missing priority as 0. */
    public static int clamp(Integer priority) {
        return priority == null ? MIN_PRIORITY : Math.max(MIN_PRIORITY, Math.min(MAX_PRIORITY, priority));
    }

    /** The step a priority lands on. */
    public int step(Integer priority) {
        int p = clamp(priority);
        int insertion = 0;
        while (insertion < steps.size() && steps.get(insertion) <= p) {
            insertion++;
        }
        int index = insertion - 1;
        return steps.get(index < 0 ? steps.size() + index : index);
    }

    /** The Redis key (with the global prefix) a message of this priority is pushed to. */
    public String keyFor(String queue, Integer priority) {
        return globalKeyPrefix + unprefixedKeyFor(queue, priority);
    }

    /** The key without {@code global_keyprefix}, as kombu names it before its client adds the prefix. */
    public String unprefixedKeyFor(String queue, Integer priority) {
        Objects.requireNonNull(queue, "queue");
        int step = step(priority);
        return step == 0 ? queue : queue + separator + step;
    }

    /**
     * Splits a Redis key into queue and step. A key without the global prefix (when one is configured) is not one
     * of ours. A trailing {@code sep + digit} that is one of the steps marks a priority list; anything else is a
     * base list.
     */
    public Optional<QueueStep> parse(String key) {
        if (key == null || !key.startsWith(globalKeyPrefix)) {
            return Optional.empty();
        }
        String name = key.substring(globalKeyPrefix.length());
        int at = name.lastIndexOf(separator);
        if (at > 0) {
            String suffix = name.substring(at + separator.length());
            if (suffix.length() == 1 && Character.isDigit(suffix.charAt(0))) {
                int step = suffix.charAt(0) - '0';
                if (step != 0 && steps.contains(step)) {
                    return Optional.of(new QueueStep(name.substring(0, at), step));
                }
            }
        }
        return name.isEmpty() ? Optional.empty() : Optional.of(new QueueStep(name, 0));
    }

    /** Every key a queue's messages can sit in, step order as configured. */
    public List<String> keysOf(String queue) {
        return consumptionOrder(List.of(queue));
    }

    /**
     * The keys a worker BRPOPs, in its order: priority step first, then queue (kombu's {@code _brpop_start}), e.g.
     * {@code celery, other, celery\x06\x163, other\x06\x163, ...}. Duplicates (two steps mapping to the same key)
     * appear once.
     */
    public List<String> consumptionOrder(List<String> queues) {
        List<String> keys = new ArrayList<>();
        for (int step : steps) {
            for (String queue : queues) {
                String key = keyFor(queue, step);
                if (!keys.contains(key)) {
                    keys.add(key);
                }
            }
        }
        return List.copyOf(keys);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PriorityKeys other
                && steps.equals(other.steps)
                && separator.equals(other.separator)
                && globalKeyPrefix.equals(other.globalKeyPrefix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(steps, separator, globalKeyPrefix);
    }

    @Override
    public String toString() {
        return "PriorityKeys[steps=" + steps + " sep=" + Printable.key(separator) + " prefix=" + globalKeyPrefix + "]";
    }
}
