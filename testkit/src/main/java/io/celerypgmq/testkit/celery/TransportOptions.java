package io.celerypgmq.testkit.celery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kombu's Redis {@code broker_transport_options} that change where messages live: priority steps, the separator of
 * priority list names, a global key prefix and the visibility timeout. {@code null} means kombu's default. Other
 * transports' options (kombu's pgmq transport: {@code queue_name_prefix}, {@code polling_interval}) go in {@code
 * other}.
 */
public record TransportOptions(
        List<Integer> prioritySteps,
        String separator,
        String globalKeyprefix,
        Integer visibilityTimeoutSeconds,
        Map<String, Object> other) {

    public TransportOptions(
            List<Integer> prioritySteps, String separator, String globalKeyprefix, Integer visibilityTimeoutSeconds) {
        this(prioritySteps, separator, globalKeyprefix, visibilityTimeoutSeconds, Map.of());
    }

    public TransportOptions {
        prioritySteps = prioritySteps == null ? null : List.copyOf(prioritySteps);
        other = Collections.unmodifiableMap(new LinkedHashMap<>(other));
        if (separator != null && separator.isEmpty()) {
            throw new IllegalArgumentException("an empty priority separator would merge queue names");
        }
        if (visibilityTimeoutSeconds != null && visibilityTimeoutSeconds < 1) {
            throw new IllegalArgumentException("visibility timeout must be >= 1 s, was " + visibilityTimeoutSeconds);
        }
    }

    public static TransportOptions defaults() {
        return new TransportOptions(null, null, null, null);
    }

    public TransportOptions withPrioritySteps(List<Integer> steps) {
        return new TransportOptions(steps, separator, globalKeyprefix, visibilityTimeoutSeconds, other);
    }

    public TransportOptions withSeparator(String sep) {
        return new TransportOptions(prioritySteps, sep, globalKeyprefix, visibilityTimeoutSeconds, other);
    }

    public TransportOptions withGlobalKeyprefix(String prefix) {
        return new TransportOptions(prioritySteps, separator, prefix, visibilityTimeoutSeconds, other);
    }

    public TransportOptions withVisibilityTimeout(int seconds) {
        return new TransportOptions(prioritySteps, separator, globalKeyprefix, seconds, other);
    }

    /** Any other transport option, e.g. kombu's pgmq {@code queue_name_prefix}; values are typed-JSON values. */
    public TransportOptions withOption(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(other);
        copy.put(name, value);
        return new TransportOptions(prioritySteps, separator, globalKeyprefix, visibilityTimeoutSeconds, copy);
    }

    ObjectNode toJson() {
        ObjectNode node = (ObjectNode) TypedJson.encode(other);
        if (prioritySteps != null) {
            prioritySteps.forEach(node.putArray("priority_steps")::add);
        }
        if (separator != null) {
            node.put("sep", separator);
        }
        if (globalKeyprefix != null) {
            node.put("global_keyprefix", globalKeyprefix);
        }
        if (visibilityTimeoutSeconds != null) {
            node.put("visibility_timeout", visibilityTimeoutSeconds);
        }
        return node;
    }
}
