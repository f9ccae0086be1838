package io.celerypgmq.testkit.celery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A Celery signature ({@code task.s(...)}) for links, chains, groups and chords. Values may be any typed-JSON value. */
public record Signature(
        String task, List<Object> args, Map<String, Object> kwargs, Map<String, Object> options, boolean immutable) {

    public Signature {
        Objects.requireNonNull(task, "task");
        args = Collections.unmodifiableList(new ArrayList<>(args));
        kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    public static Signature of(String task, Object... args) {
        return new Signature(task, Arrays.asList(args), Map.of(), Map.of(), false);
    }

    public Signature withKwargs(Map<String, ?> newKwargs) {
        return new Signature(task, args, new LinkedHashMap<>(newKwargs), options, immutable);
    }

    /** {@code task.si(...)}: the parent's result is not prepended to the arguments. */
    public Signature asImmutable() {
        return new Signature(task, args, kwargs, options, true);
    }

    public Signature withOption(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(options);
        copy.put(name, value);
        return new Signature(task, args, kwargs, copy, immutable);
    }

    ObjectNode toJson() {
        ObjectNode node = TypedJson.MAPPER.createObjectNode();
        node.put("task", task);
        node.set("args", TypedJson.encode(args));
        node.set("kwargs", TypedJson.encode(kwargs));
        node.set("options", TypedJson.encode(options));
        node.put("immutable", immutable);
        return node;
    }
}
