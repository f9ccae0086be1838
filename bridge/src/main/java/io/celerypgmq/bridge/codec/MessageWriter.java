package io.celerypgmq.bridge.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.internal.BodyWriter;
import io.celerypgmq.bridge.codec.internal.PythonJson;
import io.celerypgmq.bridge.codec.internal.PythonRepr;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a message as Celery 5.2 and kombu 5.2 write it: envelope keys {@code body, content-encoding, content-type,
 * headers, properties}; the full protocol 2 header set in Celery's order, custom headers after it and
 * {@code compression} last (kombu adds it after Celery merged the caller's headers); properties in kombu's order;
 * everything through {@code json.dumps} defaults.
 */
final class MessageWriter {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MessageWriter() {}

    static byte[] write(CeleryMessage m, EncodeTarget target) {
        Integer priority = target.priority() != null ? target.priority() : m.priority();
        ObjectNode headers;
        JsonNode body;
        if (target.protocol() == 2) {
            headers = v2Headers(m);
            body = NODES.arrayNode().add(m.args()).add(m.kwargs()).add(embed(m));
        } else {
            headers = m.customHeaders();
            body = v1Body(m);
        }
        byte[] serialized = BodyWriter.serialize(body, target.serializer());
        if (target.compression() != null) {
            serialized = BodyWriter.compress(serialized, target.compression());
            headers.put("compression", target.compression().mimeType());
        }
        ObjectNode envelope = NODES.objectNode();
        envelope.put("body", Base64.getEncoder().encodeToString(serialized));
        envelope.put("content-encoding", target.serializer().contentEncoding());
        envelope.put("content-type", target.serializer().contentType());
        envelope.set("headers", headers);
        envelope.set("properties", properties(m, target, priority));
        return PythonJson.dumps(envelope).getBytes(StandardCharsets.US_ASCII);
    }

    private static ObjectNode v2Headers(CeleryMessage m) {
        ObjectNode h = NODES.objectNode();
        h.put("lang", "py");
        h.put("task", m.task());
        h.put("id", m.id());
        h.put("shadow", m.shadow());
        h.put("eta", m.eta());
        h.put("expires", m.expires());
        h.put("group", m.group());
        h.set("group_index", m.groupIndex() == null ? NODES.nullNode() : NODES.numberNode(m.groupIndex()));
        h.put("retries", m.retries());
        h.set("timelimit", timelimit(m.timelimit()));
        h.put("root_id", m.rootId());
        h.put("parent_id", m.parentId());
        h.put("argsrepr", m.argsrepr() != null ? m.argsrepr() : PythonRepr.argsrepr(m.args()));
        h.put("kwargsrepr", m.kwargsrepr() != null ? m.kwargsrepr() : PythonRepr.kwargsrepr(m.kwargs()));
        h.put("origin", m.origin());
        h.put("ignore_result", m.ignoreResult());
        if (m.replacedTaskNesting() != null) {
            h.put("replaced_task_nesting", m.replacedTaskNesting());
        }
        if (m.stampedHeaders() != null) {
            h.set("stamped_headers", m.stampedHeaders());
        }
        if (m.stamps() != null) {
            h.set("stamps", m.stamps());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = m.customHeaders().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            h.set(field.getKey(), field.getValue());
        }
        return h;
    }

    private static ObjectNode embed(CeleryMessage m) {
        ObjectNode embed = NODES.objectNode();
        embed.set("callbacks", orNull(m.callbacks()));
        embed.set("errbacks", orNull(m.errbacks()));
        embed.set("chain", orNull(m.chain()));
        embed.set("chord", orNull(m.chord()));
        return embed;
    }

    /** The protocol 1 body in the key order Celery 5.2 writes ({@code p1_json_add}). */
    private static ObjectNode v1Body(CeleryMessage m) {
        if (m.chain() != null) {
            throw new IllegalArgumentException("protocol 1 has no chain field; encode this message as protocol 2");
        }
        ObjectNode b = NODES.objectNode();
        b.put("task", m.task());
        b.put("id", m.id());
        b.set("args", m.args());
        b.set("kwargs", m.kwargs());
        b.put("group", m.group());
        b.set("group_index", m.groupIndex() == null ? NODES.nullNode() : NODES.numberNode(m.groupIndex()));
        b.put("retries", m.retries());
        b.put("eta", m.eta());
        b.put("expires", m.expires());
        b.put("utc", true);
        b.set("callbacks", orNull(m.callbacks()));
        b.set("errbacks", orNull(m.errbacks()));
        b.set("timelimit", timelimit(m.timelimit()));
        b.put("taskset", m.group());
        b.set("chord", orNull(m.chord()));
        return b;
    }

    private static ObjectNode properties(CeleryMessage m, EncodeTarget target, Integer priority) {
        ObjectNode p = NODES.objectNode();
        p.put("correlation_id", m.correlationId() != null ? m.correlationId() : m.id());
        p.put("reply_to", m.replyTo());
        p.put("delivery_mode", m.deliveryMode() != null ? m.deliveryMode() : 2);
        if (m.expiration() != null) {
            p.put("expiration", m.expiration());
        }
        ObjectNode info = NODES.objectNode();
        info.put("exchange", "");
        info.put("routing_key", target.queue());
        p.set("delivery_info", info);
        p.put("priority", priority != null ? priority : 0);
        p.put("body_encoding", "base64");
        p.put("delivery_tag", target.deliveryTags().get().toString());
        return p;
    }

    private static ArrayNode timelimit(TimeLimit limit) {
        return NODES.arrayNode().add(number(limit.hard())).add(number(limit.soft()));
    }

    private static JsonNode number(Number n) {
        if (n == null) {
            return NODES.nullNode();
        }
        if (n instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (n instanceof BigInteger big) {
            return NODES.numberNode(big);
        }
        return NODES.numberNode(n.longValue());
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null ? NODES.nullNode() : node;
    }
}
