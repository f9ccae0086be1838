package io.celerypgmq.testkit.celery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Values that plain JSON cannot carry, as the driver's Python side writes them ({@code typed_json.py}): single-key
 * objects {@code {"$bytes": base64}}, {@code {"$tuple": [...]}}, {@code {"$datetime": iso}}, {@code {"$date": iso}},
 * {@code {"$decimal": "1.5"}}, {@code {"$uuid": ...}}, {@code {"$float": "nan"}}, {@code {"$map": [[k, v], ...]}},
 * {@code {"$set": [...]}} and {@code {"$repr": "..."}}.
 *
 * <p>Decoding gives plain Java values: {@code Long} or {@code BigInteger} for integers, {@code Double}, {@code String},
 * {@code Boolean}, {@code byte[]}, {@code List}, {@code Map}, {@code Set}, {@link OffsetDateTime} (or
 * {@link LocalDateTime} when naive), {@link LocalDate}, {@link BigDecimal}, {@link UUID}, {@link PyRepr}. Tuples
 * decode to lists; encode a {@link PyTuple} to send one.
 */
public final class TypedJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TypedJson() {}

    /** A Python tuple to send (Java has none); it arrives at the task as a tuple. */
    public record PyTuple(List<Object> items) {
        public PyTuple {
            items = Collections.unmodifiableList(new ArrayList<>(items));
        }

        public static PyTuple of(Object... items) {
            return new PyTuple(java.util.Arrays.asList(items));
        }
    }

    /** A Python value that has no typed-JSON form, seen through its {@code repr}. */
    public record PyRepr(String repr) {}

    public static JsonNode encode(Object value) {
        if (value == null) {
            return NODES.nullNode();
        } else if (value instanceof JsonNode node) {
            return node;
        } else if (value instanceof String s) {
            return NODES.textNode(s);
        } else if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d)) {
                return tagged("$float", NODES.textNode("nan"));
            } else if (Double.isInfinite(d)) {
                return tagged("$float", NODES.textNode(d > 0 ? "inf" : "-inf"));
            }
            return NODES.numberNode(d);
        } else if (value instanceof BigDecimal d) {
            return tagged("$decimal", NODES.textNode(d.toPlainString()));
        } else if (value instanceof BigInteger i) {
            return NODES.numberNode(i);
        } else if (value instanceof Number n) {
            return NODES.numberNode(n.longValue());
        } else if (value instanceof byte[] bytes) {
            return tagged("$bytes", NODES.textNode(Base64.getEncoder().encodeToString(bytes)));
        } else if (value instanceof PyTuple tuple) {
            return tagged("$tuple", array(tuple.items()));
        } else if (value instanceof Set<?> set) {
            return tagged("$set", array(set));
        } else if (value instanceof Collection<?> list) {
            return array(list);
        } else if (value instanceof Map<?, ?> map) {
            return encodeMap(map);
        } else if (value instanceof UUID uuid) {
            return tagged("$uuid", NODES.textNode(uuid.toString()));
        } else if (value instanceof Instant instant) {
            return tagged(
                    "$datetime", NODES.textNode(instant.atOffset(ZoneOffset.UTC).toString()));
        } else if (value instanceof OffsetDateTime || value instanceof LocalDateTime) {
            return tagged("$datetime", NODES.textNode(value.toString()));
        } else if (value instanceof ZonedDateTime zoned) {
            return tagged("$datetime", NODES.textNode(zoned.toOffsetDateTime().toString()));
        } else if (value instanceof LocalDate date) {
            return tagged("$date", NODES.textNode(date.toString()));
        }
        throw new IllegalArgumentException(
                "no typed-JSON form for " + value.getClass().getName() + ": " + value);
    }

    private static JsonNode encodeMap(Map<?, ?> map) {
        boolean stringKeys = map.keySet().stream().allMatch(String.class::isInstance);
        if (stringKeys) {
            ObjectNode object = NODES.objectNode();
            map.forEach((k, v) -> object.set((String) k, encode(v)));
            return object;
        }
        ArrayNode pairs = NODES.arrayNode();
        map.forEach((k, v) -> pairs.add(NODES.arrayNode().add(encode(k)).add(encode(v))));
        return tagged("$map", pairs);
    }

    private static ArrayNode array(Collection<?> items) {
        ArrayNode array = NODES.arrayNode();
        items.forEach(item -> array.add(encode(item)));
        return array;
    }

    private static ObjectNode tagged(String tag, JsonNode inner) {
        ObjectNode object = NODES.objectNode();
        object.set(tag, inner);
        return object;
    }

    public static Object decode(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        } else if (node.isTextual()) {
            return node.textValue();
        } else if (node.isBoolean()) {
            return node.booleanValue();
        } else if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        } else if (node.isNumber()) {
            return node.doubleValue();
        } else if (node.isArray()) {
            return decodeList(node);
        } else if (node.size() == 1) {
            Map.Entry<String, JsonNode> only = node.fields().next();
            if (only.getKey().startsWith("$")) {
                Object tagged = decodeTagged(only.getKey(), only.getValue());
                if (tagged != null) {
                    return tagged;
                }
            }
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            map.put(field.getKey(), decode(field.getValue()));
        }
        return Collections.unmodifiableMap(map);
    }

    private static List<Object> decodeList(JsonNode node) {
        List<Object> list = new ArrayList<>(node.size());
        node.forEach(item -> list.add(decode(item)));
        return Collections.unmodifiableList(list);
    }

    private static Object decodeTagged(String tag, JsonNode inner) {
        return switch (tag) {
            case "$bytes" -> Base64.getDecoder().decode(inner.textValue());
            case "$tuple" -> decodeList(inner);
            case "$datetime" -> dateTime(inner.textValue());
            case "$date" -> LocalDate.parse(inner.textValue());
            case "$decimal" -> new BigDecimal(inner.textValue());
            case "$uuid" -> UUID.fromString(inner.textValue());
            case "$float" -> specialFloat(inner.textValue());
            case "$set" -> Collections.unmodifiableSet(new LinkedHashSet<>(decodeList(inner)));
            case "$repr" -> new PyRepr(inner.textValue());
            case "$map" -> decodePairs(inner);
            default -> null;
        };
    }

    private static Map<Object, Object> decodePairs(JsonNode pairs) {
        Map<Object, Object> map = new LinkedHashMap<>();
        pairs.forEach(pair -> map.put(decode(pair.get(0)), decode(pair.get(1))));
        return Collections.unmodifiableMap(map);
    }

    private static Object dateTime(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (java.time.format.DateTimeParseException naive) {
            return LocalDateTime.parse(text);
        }
    }

    private static double specialFloat(String text) {
        return switch (text) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> throw new IllegalArgumentException("not a special float: " + text);
        };
    }
}
