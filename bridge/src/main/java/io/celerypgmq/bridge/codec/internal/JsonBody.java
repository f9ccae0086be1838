package io.celerypgmq.bridge.codec.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.celerypgmq.bridge.codec.UndecodableMessageException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A json-serialized body. kombu 5.2 writes datetimes, Decimals and UUIDs as plain strings; kombu 5.3 and later wrap
 * them as {@code {"__type__": ..., "__value__": ...}}. Both read to the same natural form, the 5.2 strings: an aware
 * UTC datetime ends in {@code Z}, a date becomes midnight, a UUID its canonical text, bytes their base64 text. A
 * {@code __type__} object of an unknown type is left as it is.
 */
public final class JsonBody {
    private static final Set<String> TYPED_KEYS = Set.of("__type__", "__value__");

    private JsonBody() {}

    public static JsonNode decode(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BodyException(Reason.BAD_BODY, "json body is not valid UTF-8", e);
        }
        JsonNode parsed;
        try {
            parsed = PythonJson.parse(text);
        } catch (JsonProcessingException e) {
            throw new BodyException(Reason.BAD_BODY, "json body does not parse: " + e.getOriginalMessage(), e);
        }
        if (parsed == null || parsed.isMissingNode()) {
            throw new BodyException(Reason.BAD_BODY, "json body is empty");
        }
        return untype(parsed);
    }

    static JsonNode untype(JsonNode node) {
        if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, untype(array.get(i)));
            }
            return array;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode object = (ObjectNode) node;
        if (object.size() == 2 && object.has("__type__") && object.has("__value__") && typed(object)) {
            JsonNode natural = natural(object.get("__type__").asText(), object.get("__value__"));
            if (natural != null) {
                return natural;
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            field.setValue(untype(field.getValue()));
        }
        return object;
    }

    private static boolean typed(ObjectNode object) {
        Iterator<String> names = object.fieldNames();
        return TYPED_KEYS.contains(names.next()) && TYPED_KEYS.contains(names.next());
    }

    private static JsonNode natural(String type, JsonNode value) {
        try {
            return switch (type) {
                case "datetime" -> TextNode.valueOf(PythonValues.kombuDatetime(value.textValue()));
                case "date" -> TextNode.valueOf(value.textValue() + "T00:00:00");
                case "time", "decimal" -> value.isTextual() ? value : null;
                case "uuid" -> TextNode.valueOf(
                        PythonValues.uuidFromHex(value.get("hex").textValue()));
                case "bytes" -> TextNode.valueOf(
                        Base64.getEncoder().encodeToString(value.textValue().getBytes(StandardCharsets.UTF_8)));
                case "base64" -> TextNode.valueOf(Base64.getEncoder()
                        .encodeToString(PythonBase64.decode(value.textValue().getBytes(StandardCharsets.US_ASCII))));
                default -> null;
            };
        } catch (RuntimeException e) {
            throw new BodyException(
                    Reason.BAD_BODY, "kombu typed value of type " + type + " is malformed: " + value, e);
        }
    }
}
