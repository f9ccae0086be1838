package io.celerypgmq.testkit.celery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One call for real Celery to publish: a single task ({@code apply_async}), or a chain, group or chord of signatures.
 * Options are {@code apply_async} keyword arguments (countdown, eta, expires, priority, queue, headers, link,
 * link_error, serializer, compression, task_id, retries, time_limit, soft_time_limit, shadow, ...).
 */
public record CallSpec(
        Kind kind, Signature task, List<Signature> members, Signature body, Map<String, Object> options) {

    public enum Kind {
        TASK,
        CHAIN,
        GROUP,
        CHORD
    }

    public CallSpec {
        Objects.requireNonNull(kind, "kind");
        members = Collections.unmodifiableList(new ArrayList<>(members));
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        if ((kind == Kind.TASK) != (task != null) || (kind == Kind.CHORD) != (body != null)) {
            throw new IllegalArgumentException("a " + kind + " call has the wrong parts");
        }
    }

    public static CallSpec task(String name, Object... args) {
        return new CallSpec(Kind.TASK, Signature.of(name, args), List.of(), null, Map.of());
    }

    public static CallSpec task(String name, List<?> args, Map<String, ?> kwargs) {
        Signature signature = new Signature(name, new ArrayList<>(args), new LinkedHashMap<>(kwargs), Map.of(), false);
        return new CallSpec(Kind.TASK, signature, List.of(), null, Map.of());
    }

    public static CallSpec chain(Signature... steps) {
        return new CallSpec(Kind.CHAIN, null, Arrays.asList(steps), null, Map.of());
    }

    public static CallSpec group(Signature... members) {
        return new CallSpec(Kind.GROUP, null, Arrays.asList(members), null, Map.of());
    }

    public static CallSpec chord(List<Signature> header, Signature body) {
        return new CallSpec(Kind.CHORD, null, header, body, Map.of());
    }

    /** Any {@code apply_async} option; values are typed-JSON values (signatures for link and link_error). */
    public CallSpec with(String option, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(options);
        copy.put(option, value);
        return new CallSpec(kind, task, members, body, copy);
    }

    public CallSpec countdown(double seconds) {
        return with("countdown", seconds);
    }

    public CallSpec eta(OffsetDateTime eta) {
        return with("eta", eta.toString());
    }

    /** {@code expires=<seconds>}: Celery turns it into {@code now + seconds} at publish time. */
    public CallSpec expiresIn(Duration duration) {
        return with("expires", duration.toMillis() / 1000.0);
    }

    public CallSpec expiresAt(OffsetDateTime expires) {
        return with("expires", expires.toString());
    }

    public CallSpec priority(int priority) {
        return with("priority", priority);
    }

    public CallSpec queue(String queue) {
        return with("queue", queue);
    }

    public CallSpec headers(Map<String, ?> headers) {
        return with("headers", new LinkedHashMap<String, Object>(headers));
    }

    public CallSpec link(Signature... callbacks) {
        return with("link", Arrays.asList(callbacks));
    }

    public CallSpec linkError(Signature... errbacks) {
        return with("link_error", Arrays.asList(errbacks));
    }

    public CallSpec serializer(String serializer) {
        return with("serializer", serializer);
    }

    public CallSpec compression(String compression) {
        return with("compression", compression);
    }

    public CallSpec taskId(String id) {
        return with("task_id", id);
    }

    public Object option(String name) {
        return options.get(name);
    }

    ObjectNode toJson() {
        ObjectNode node = TypedJson.MAPPER.createObjectNode();
        node.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        if (task != null) {
            node.put("task", task.task());
            node.set("args", TypedJson.encode(task.args()));
            node.set("kwargs", TypedJson.encode(task.kwargs()));
        }
        if (!members.isEmpty()) {
            ArrayNode tasks = node.putArray("tasks");
            members.forEach(m -> tasks.add(m.toJson()));
        }
        if (body != null) {
            node.set("body", body.toJson());
        }
        ObjectNode opts = node.putObject("options");
        options.forEach((name, value) -> opts.set(name, optionJson(value)));
        return node;
    }

    private static com.fasterxml.jackson.databind.JsonNode optionJson(Object value) {
        if (value instanceof Signature signature) {
            return TypedJson.MAPPER.createArrayNode().add(signature.toJson());
        }
        if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Signature) {
            ArrayNode array = TypedJson.MAPPER.createArrayNode();
            list.forEach(s -> array.add(((Signature) s).toJson()));
            return array;
        }
        return TypedJson.encode(value);
    }
}
