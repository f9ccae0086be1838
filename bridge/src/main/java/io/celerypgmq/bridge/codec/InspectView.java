package io.celerypgmq.bridge.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.internal.PythonJson;
import io.celerypgmq.bridge.codec.internal.PythonRepr;
import java.util.Optional;

/**
 * What {@code celery-pgmq inspect} prints for one message: a JSON object with Celery's own field names, or for a
 * message that does not decode, its key, error and reason; plus a one-line text form. Pure: the queue name is worked
 * out from the key with {@link PriorityKeys}.
 */
public final class InspectView {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final PriorityKeys keys;

    public InspectView(PriorityKeys keys) {
        this.keys = keys;
    }

    public ObjectNode json(CeleryMessage m) {
        ObjectNode o = NODES.objectNode();
        o.put("queue", queueOf(m.sourceKey()).orElse(m.routingKey()));
        o.put("key", m.sourceKey() == null ? null : Printable.key(m.sourceKey()));
        o.put("protocol", m.protocol());
        o.put("content_type", m.contentType());
        o.put("compression", m.compression());
        o.put("delivery_tag", m.deliveryTag());
        o.put("task", m.task());
        o.put("id", m.id());
        o.set("args", m.args());
        o.set("kwargs", m.kwargs());
        o.put("eta", m.eta());
        o.put("expires", m.expires());
        o.put("retries", m.retries());
        o.set("priority", m.priority() == null ? NODES.nullNode() : NODES.numberNode(m.priority()));
        o.put("root_id", m.rootId());
        o.put("parent_id", m.parentId());
        o.put("group", m.group());
        o.set("group_index", m.groupIndex() == null ? NODES.nullNode() : NODES.numberNode(m.groupIndex()));
        o.set(
                "timelimit",
                NODES.arrayNode()
                        .add(number(m.timelimit().hard()))
                        .add(number(m.timelimit().soft())));
        o.set("callbacks", orNull(m.callbacks()));
        o.set("errbacks", orNull(m.errbacks()));
        o.set("chain", orNull(m.chain()));
        o.set("chord", orNull(m.chord()));
        o.set("headers", m.customHeaders());
        return o;
    }

    public ObjectNode json(UndecodableMessageException e) {
        ObjectNode o = NODES.objectNode();
        o.put("key", e.sourceKey() == null ? null : Printable.key(e.sourceKey()));
        o.put("error", e.detail());
        o.put("reason", e.reason().name());
        o.put("identity", e.identity());
        return o;
    }

    /** {@code celery[3] tasks.add[3612bb75-…](2, 3) eta=… retries=1 prio=5}. */
    public String line(CeleryMessage m) {
        StringBuilder out = new StringBuilder();
        String queue = queueOf(m.sourceKey()).orElse(m.routingKey());
        out.append(queue == null ? "?" : queue);
        int step = m.sourceKey() == null
                ? 0
                : keys.parse(m.sourceKey()).map(PriorityKeys.QueueStep::step).orElse(0);
        if (step != 0) {
            out.append('[').append(step).append(']');
        }
        out.append(' ').append(m.task()).append('[').append(m.id()).append(']');
        String args = PythonRepr.argsrepr(m.args());
        out.append(args.length() > 80 ? args.substring(0, 77) + "..." : args);
        if (!m.kwargs().isEmpty()) {
            String kwargs = PythonRepr.kwargsrepr(m.kwargs());
            out.append(' ').append(kwargs.length() > 80 ? kwargs.substring(0, 77) + "..." : kwargs);
        }
        if (m.eta() != null) {
            out.append(" eta=").append(m.eta());
        }
        if (m.expires() != null) {
            out.append(" expires=").append(m.expires());
        }
        if (m.retries() != 0) {
            out.append(" retries=").append(m.retries());
        }
        if (m.priority() != null && m.priority() != 0) {
            out.append(" prio=").append(m.priority());
        }
        if (m.protocol() == 1) {
            out.append(" protocol=1");
        }
        if (!Serializer.JSON.contentType().equals(m.contentType())) {
            out.append(" ").append(m.contentType());
        }
        if (m.compression() != null) {
            out.append(" ").append(m.compression());
        }
        return out.toString();
    }

    public String line(UndecodableMessageException e) {
        return Printable.key(e.sourceKey()) + " UNDECODABLE " + e.reason() + ": " + e.detail();
    }

    /** The JSON object as text, one line, as {@code inspect --json} prints it. */
    public static String text(ObjectNode view) {
        return PythonJson.dumps(view);
    }

    private Optional<String> queueOf(String key) {
        return key == null ? Optional.empty() : keys.parse(key).map(PriorityKeys.QueueStep::queue);
    }

    private static JsonNode number(Number n) {
        if (n == null) {
            return NODES.nullNode();
        }
        return n instanceof Double d ? NODES.numberNode(d) : NODES.numberNode(n.longValue());
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null ? NODES.nullNode() : node;
    }
}
