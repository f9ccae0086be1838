package io.celerypgmq.bridge.pump;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.route.PayloadFormat;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Builds the pgmq message and headers for a Celery message, per payload format (DESIGN.md, "PGMQ payloads"):
 * {@code kombu} is the envelope itself, {@code task} the canonical task JSON, {@code template} the shape a new worker
 * expects. Headers carry the Celery metadata and the identity; in the {@code kombu} format they are what kombu's pgmq
 * transport writes, plus the identity.
 *
 * <p>With keep-envelope on, the original envelope of a {@code task} or {@code template} message is kept for a
 * byte-exact rollback in the message's ledger row ({@link #envelope}), written by the same statement as the send.
 * Earlier versions carried it in an {@code x-celery-envelope} header: a JSON string inside the headers' JSON, which
 * doubled the row, was escaped by the JVM and parsed again by Postgres, and pushed rows past the TOAST threshold. The
 * way back still reads that header on messages that have it.
 */
public final class PgmqPayloads {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<String, PayloadTemplate> templates;
    private final boolean keepEnvelope;

    public PgmqPayloads(Map<String, PayloadTemplate> templates, boolean keepEnvelope) {
        this.templates = Map.copyOf(templates);
        this.keepEnvelope = keepEnvelope;
    }

    /** The pgmq message text (JSON) for {@code msg} in {@code format}. */
    public String message(CeleryMessage msg, byte[] raw, PayloadFormat format) {
        return switch (format) {
            case KOMBU -> new String(raw, StandardCharsets.UTF_8);
            case TASK -> write(taskJson(msg));
            case TEMPLATE -> write(template(msg.task()).apply(msg));
        };
    }

    /**
     * The pgmq headers (JSON object text): Celery metadata and identity as {@code x-celery-*}; in the {@code kombu}
     * format what kombu's pgmq transport writes plus the identity ({@link KombuPgmqHeaders}).
     */
    public String headers(CeleryMessage msg, String sourceKey, String route, PayloadFormat format) {
        if (format == PayloadFormat.KOMBU) {
            return KombuPgmqHeaders.of(msg);
        }
        ObjectNode h = NODES.objectNode();
        h.put(CeleryHeaders.IDENTITY, msg.identity());
        h.put(CeleryHeaders.TASK, msg.task());
        h.put(CeleryHeaders.ID, msg.id());
        h.put(CeleryHeaders.SOURCE, sourceKey);
        h.put(CeleryHeaders.QUEUE, msg.routingKey());
        h.put(CeleryHeaders.ETA, msg.eta());
        h.put(CeleryHeaders.EXPIRES, msg.expires());
        h.put(CeleryHeaders.RETRIES, msg.retries());
        h.put(CeleryHeaders.ROOT_ID, msg.rootId());
        h.put(CeleryHeaders.PARENT_ID, msg.parentId());
        h.put(CeleryHeaders.GROUP, msg.group());
        h.put(CeleryHeaders.PRIORITY, msg.priority());
        h.put(CeleryHeaders.FORMAT, format.label());
        h.put(CeleryHeaders.ROUTE, route);
        return write(h);
    }

    /**
     * The envelope copy the ledger row keeps for a byte-exact rollback, or {@code null}: keep-envelope off, or the
     * {@code kombu} format, whose message is the envelope already.
     */
    public byte[] envelope(byte[] raw, PayloadFormat format) {
        return keepEnvelope && format != PayloadFormat.KOMBU ? raw : null;
    }

    /** {@code {"task", "id", "args", "kwargs", ...}}: everything a worker needs to run the task, in Celery's names. */
    public static ObjectNode taskJson(CeleryMessage msg) {
        ObjectNode o = NODES.objectNode();
        o.put("task", msg.task());
        o.put("id", msg.id());
        o.set("args", msg.args());
        o.set("kwargs", msg.kwargs());
        o.put("eta", msg.eta());
        o.put("expires", msg.expires());
        o.put("retries", msg.retries());
        o.put("root_id", msg.rootId());
        o.put("parent_id", msg.parentId());
        o.put("group", msg.group());
        o.put("group_index", msg.groupIndex());
        o.put("priority", msg.priority());
        o.set(
                "timelimit",
                msg.timelimit() == null
                        ? null
                        : JSON.valueToTree(new Number[] {
                            msg.timelimit().hard(), msg.timelimit().soft()
                        }));
        o.set("callbacks", msg.callbacks());
        o.set("errbacks", msg.errbacks());
        o.set("chain", msg.chain());
        o.set("chord", msg.chord());
        o.set("headers", msg.customHeaders());
        return o;
    }

    private PayloadTemplate template(String task) {
        PayloadTemplate t = templates.get(task);
        if (t == null) {
            throw new IllegalStateException(
                    "route for " + task + " uses the template format but bridge.templates has" + " no template for it");
        }
        return t;
    }

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
