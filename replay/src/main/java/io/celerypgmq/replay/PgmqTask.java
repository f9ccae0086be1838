package io.celerypgmq.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pump.CeleryHeaders;

/**
 * The Celery task name and id of a pgmq message, for filters and reports: from the bridge's headers, else from a
 * {@code task}-format payload, else from a {@code kombu}-format payload (the envelope's own headers).
 */
record PgmqTask(String task, String id, String identity) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static PgmqTask of(PgmqMessage m) {
        JsonNode h = parse(m.headers());
        String task = text(h, CeleryHeaders.TASK);
        String id = text(h, CeleryHeaders.ID);
        String identity = text(h, CeleryHeaders.IDENTITY);
        if (task == null || id == null) {
            JsonNode p = parse(m.message());
            JsonNode envelopeHeaders = p.path("headers");
            task = task != null ? task : first(text(p, "task"), text(envelopeHeaders, "task"));
            id = id != null ? id : first(text(p, "id"), text(envelopeHeaders, "id"));
            if (identity == null) {
                identity = text(p.path("properties"), "delivery_tag");
            }
        }
        return new PgmqTask(task, id, identity);
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() ? null : v.textValue();
    }

    private static JsonNode parse(String json) {
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
}
