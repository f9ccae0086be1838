package io.celerypgmq.testkit.celery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * kombu's Redis {@code broker_transport_options} that change where messages live: priority steps, the separator of
 * priority list names, a global key prefix and the visibility timeout. {@code null} means kombu's default.
 */
public record TransportOptions(
        List<Integer> prioritySteps, String separator, String globalKeyprefix, Integer visibilityTimeoutSeconds) {

    public TransportOptions {
        prioritySteps = prioritySteps == null ? null : List.copyOf(prioritySteps);
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
        return new TransportOptions(steps, separator, globalKeyprefix, visibilityTimeoutSeconds);
    }

    public TransportOptions withSeparator(String sep) {
        return new TransportOptions(prioritySteps, sep, globalKeyprefix, visibilityTimeoutSeconds);
    }

    public TransportOptions withGlobalKeyprefix(String prefix) {
        return new TransportOptions(prioritySteps, separator, prefix, visibilityTimeoutSeconds);
    }

    public TransportOptions withVisibilityTimeout(int seconds) {
        return new TransportOptions(prioritySteps, separator, globalKeyprefix, seconds);
    }

    ObjectNode toJson() {
        ObjectNode node = TypedJson.MAPPER.createObjectNode();
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
