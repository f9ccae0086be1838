package io.celerypgmq.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Small lookups in the JSON texts pgmq stores (message, headers), tolerant of anything that is not JSON. */
final class ReplayJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplayJson() {}

    static JsonNode parse(String json) {
        if (json == null) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode n = JSON.readTree(json);
            return n == null ? JSON.createObjectNode() : n;
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    static com.fasterxml.jackson.databind.node.ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** A top-level text field, or null. */
    static String text(String json, String field) {
        JsonNode v = parse(json).get(field);
        return v == null || !v.isTextual() ? null : v.textValue();
    }

    /** {@code properties.delivery_info.routing_key} of a kombu envelope, or null. */
    static String routingKey(String envelopeJson) {
        JsonNode v =
                parse(envelopeJson).path("properties").path("delivery_info").get("routing_key");
        return v == null || !v.isTextual() ? null : v.textValue();
    }
}
