package io.celerypgmq.bridge.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.celerypgmq.bridge.codec.CeleryTime;
import io.celerypgmq.testkit.celery.TypedJson.PyTuple;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One comparable form for values on both sides of an interop test: integers as BigInteger, floats as Double, lists,
 * maps with string keys, strings, booleans, null. Intended Java values are mapped the way kombu 5.2's JSON encoder
 * (the codec's canonical form) shows them: bytes as base64 text, tuples and sets as lists, non-string keys as their
 * text, datetimes as {@code isoformat()} with {@code +00:00} written {@code Z}.
 */
final class CeleryJsonForm {
    private CeleryJsonForm() {}

    static Object ofJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        } else if (node.isTextual()) {
            return node.textValue();
        } else if (node.isBoolean()) {
            return node.booleanValue();
        } else if (node.isIntegralNumber()) {
            return node.bigIntegerValue();
        } else if (node.isNumber()) {
            return node.doubleValue();
        } else if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(ofJson(item)));
            return list;
        } else if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                map.put(field.getKey(), ofJson(field.getValue()));
            }
            return map;
        }
        throw new IllegalArgumentException("unexpected JSON node " + node.getNodeType() + ": " + node);
    }

    static Object ofIntended(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        } else if (value instanceof BigInteger i) {
            return i;
        } else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            return ((Number) value).doubleValue();
        } else if (value instanceof Number n) {
            return BigInteger.valueOf(n.longValue());
        } else if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        } else if (value instanceof PyTuple tuple) {
            return ofIntended(tuple.items());
        } else if (value instanceof Collection<?> items) {
            List<Object> list = new ArrayList<>();
            items.forEach(item -> list.add(ofIntended(item)));
            return list;
        } else if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), ofIntended(v)));
            return out;
        } else if (value instanceof OffsetDateTime time) {
            String iso = CeleryTime.of(time).isoformat();
            return iso.endsWith("+00:00") ? iso.substring(0, iso.length() - 6) + "Z" : iso;
        }
        throw new IllegalArgumentException(
                "no Celery JSON form for " + value.getClass().getName());
    }
}
