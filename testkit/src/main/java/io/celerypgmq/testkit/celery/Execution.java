package io.celerypgmq.testkit.celery;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one task execution in a real worker received, as the task itself recorded it ({@code task_prerun}).
 * {@code args}/{@code kwargs} are typed-JSON decoded ({@link TypedJson}); {@code headers} are the custom message
 * headers the request carried; {@code priority}, {@code exchange} and {@code routingKey} come from
 * {@code request.delivery_info}.
 */
public record Execution(
        String id,
        String task,
        List<Object> args,
        Map<String, Object> kwargs,
        int retries,
        String eta,
        String expires,
        Integer priority,
        String exchange,
        String routingKey,
        String rootId,
        String parentId,
        String group,
        Integer groupIndex,
        Object timelimit,
        Object callbacks,
        Object errbacks,
        Object chain,
        Object chord,
        Map<String, Object> headers,
        Instant executedAt) {

    @SuppressWarnings("unchecked")
    static Execution fromJson(JsonNode line) {
        return new Execution(
                text(line, "id"),
                text(line, "task"),
                (List<Object>) TypedJson.decode(line.get("args")),
                (Map<String, Object>) TypedJson.decode(line.get("kwargs")),
                line.path("retries").asInt(0),
                text(line, "eta"),
                text(line, "expires"),
                integer(line, "priority"),
                text(line, "exchange"),
                text(line, "routing_key"),
                text(line, "root_id"),
                text(line, "parent_id"),
                text(line, "group"),
                integer(line, "group_index"),
                TypedJson.decode(line.get("timelimit")),
                TypedJson.decode(line.get("callbacks")),
                TypedJson.decode(line.get("errbacks")),
                TypedJson.decode(line.get("chain")),
                TypedJson.decode(line.get("chord")),
                (Map<String, Object>) TypedJson.decode(line.get("headers")),
                Instant.ofEpochMilli(Math.round(line.path("executed_at").asDouble() * 1000)));
    }

    private static String text(JsonNode line, String field) {
        JsonNode value = line.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Integer integer(JsonNode line, String field) {
        JsonNode value = line.get(field);
        return value == null || value.isNull() ? null : value.asInt();
    }

    @Override
    public String toString() {
        return task + "[" + id + "](args=" + abbreviate(args) + ", kwargs=" + abbreviate(kwargs) + ", retries="
                + retries + ", eta=" + eta + ", priority=" + priority + ", headers=" + headers + ")";
    }

    private static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() > 200 ? text.substring(0, 200) + "...(" + text.length() + " chars)" : text;
    }
}
