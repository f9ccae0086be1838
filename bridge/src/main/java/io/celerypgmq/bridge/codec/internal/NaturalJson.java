package io.celerypgmq.bridge.codec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.UndecodableMessageException.Reason;
import io.celerypgmq.bridge.codec.internal.PickleObjects.Callable;
import io.celerypgmq.bridge.codec.internal.PickleObjects.PyObject;
import io.celerypgmq.bridge.codec.internal.PickleObjects.PyTemporal;
import io.celerypgmq.bridge.codec.internal.PickleObjects.PyTz;
import io.celerypgmq.bridge.codec.internal.PickleObjects.PyUuid;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Turns the Java values a pickle or YAML body produced into the JSON Celery's json serializer would have written:
 * tuples, lists and sets become arrays, bytes become base64 text, dict keys become strings the way {@code json.dumps}
 * converts them ({@code 1 → "1"}, {@code True → "true"}, {@code None → "null"}). Shared references are fine; cycles,
 * excessive depth and expansion beyond a node budget are refused (a few bytes of pickle or YAML can describe a
 * graph with billions of paths).
 */
final class NaturalJson {
    static final int MAX_DEPTH = 1000;

    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final IdentityHashMap<Object, Boolean> path = new IdentityHashMap<>();
    private long budget;

    private NaturalJson(long budget) {
        this.budget = budget;
    }

    static JsonNode convert(Object value, long nodeBudget) {
        return new NaturalJson(nodeBudget).toJson(value, 0);
    }

    private JsonNode toJson(Object value, int depth) {
        if (--budget < 0) {
            throw new BodyException(Reason.TOO_LARGE, "body expands to more values than allowed");
        }
        if (depth > MAX_DEPTH) {
            throw new BodyException(Reason.BAD_BODY, "body nests deeper than " + MAX_DEPTH + " levels");
        }
        if (value == null) {
            return nodes.nullNode();
        }
        if (value instanceof String s) {
            return nodes.textNode(s);
        }
        if (value instanceof Boolean b) {
            return nodes.booleanNode(b);
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return nodes.numberNode(((Number) value).intValue());
        }
        if (value instanceof Long l) {
            return MsgpackBody.integer(l);
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? MsgpackBody.integer(big.longValue()) : nodes.numberNode(big);
        }
        if (value instanceof Double || value instanceof Float) {
            return nodes.numberNode(((Number) value).doubleValue());
        }
        if (value instanceof BigDecimal dec) {
            return nodes.textNode(dec.toString());
        }
        if (value instanceof byte[] bytes) {
            return nodes.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof PyTemporal t) {
            return nodes.textNode(t.kombuText());
        }
        if (value instanceof PyUuid u) {
            if (u.text == null) {
                throw new BodyException(Reason.BAD_BODY, "UUID without a value");
            }
            return nodes.textNode(u.text);
        }
        if (value instanceof Callable c) {
            return nodes.objectNode().put("__global__", c.name());
        }
        if (value instanceof PyTz tz) {
            return nodes.objectNode()
                    .put("__class__", "datetime.tzinfo")
                    .put("zone", String.valueOf(tz.fixed() != null ? tz.fixed() : tz.region()));
        }
        if (path.put(value, Boolean.TRUE) != null) {
            throw new BodyException(Reason.BAD_BODY, "body contains a recursive structure");
        }
        try {
            return container(value, depth);
        } finally {
            path.remove(value);
        }
    }

    private JsonNode container(Object value, int depth) {
        if (value instanceof Object[] tuple) {
            ArrayNode array = nodes.arrayNode(tuple.length);
            for (Object item : tuple) {
                array.add(toJson(item, depth + 1));
            }
            return array;
        }
        if (value instanceof Collection<?> collection) {
            ArrayNode array = nodes.arrayNode(collection.size());
            for (Object item : collection) {
                array.add(toJson(item, depth + 1));
            }
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            return object(map, depth);
        }
        if (value instanceof PyObject obj) {
            ObjectNode node = nodes.objectNode();
            node.put("__class__", obj.className);
            if (!obj.args.isEmpty()) {
                node.set("args", toJson(obj.args, depth + 1));
            }
            if (obj.state != null) {
                node.set("state", toJson(obj.state, depth + 1));
            }
            if (!obj.items.isEmpty()) {
                node.set("items", object(obj.items, depth));
            }
            if (!obj.listItems.isEmpty()) {
                node.set("listitems", toJson(obj.listItems, depth + 1));
            }
            return node;
        }
        throw new BodyException(
                Reason.BAD_BODY,
                "body holds a value of unsupported type " + value.getClass().getSimpleName());
    }

    private ObjectNode object(Map<?, ?> map, int depth) {
        ObjectNode node = nodes.objectNode();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            node.set(key(entry.getKey()), toJson(entry.getValue(), depth + 1));
        }
        return node;
    }

    /** {@code json.dumps} key conversion; anything else has no JSON form and is refused. */
    private static String key(Object key) {
        if (key instanceof String s) {
            return s;
        }
        if (key == null) {
            return "null";
        }
        if (key instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (key instanceof Integer || key instanceof Long || key instanceof BigInteger) {
            return key.toString();
        }
        if (key instanceof Double d) {
            return PythonFloat.json(d);
        }
        String type = key instanceof SafeUnpickler.PyKey k
                ? k.value().getClass().getSimpleName()
                : key.getClass().getSimpleName();
        throw new BodyException(Reason.BAD_BODY, "a dict key of type " + type + " has no JSON form");
    }
}
