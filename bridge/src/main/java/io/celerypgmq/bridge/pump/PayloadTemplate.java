package io.celerypgmq.bridge.pump;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.CeleryMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a Celery task to the payload a hand-written pgmq worker expects, and back. The template is a JSON object whose
 * string values may be placeholders — {@code "{args[0]}"}, {@code "{kwargs[email]}"}, {@code "{id}"},
 * {@code "{task}"}, {@code "{eta}"} — replaced by the value with its JSON type. Example (a seed's worker):
 * {@code {"task": "send_welcome_email", "email": "{args[0]}", "username": "{args[1]}"}}.
 *
 * <p>A template must carry every argument of the message: {@link #apply} refuses a message with an argument the
 * template has no place for, rather than dropping it. {@link #invert} rebuilds args and kwargs for rollback.
 */
public final class PayloadTemplate {
    private static final Pattern PLACEHOLDER =
            Pattern.compile("\\{(args\\[(\\d+)]|kwargs\\[([^\\]]+)]|id|task|eta|expires|retries)}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Where in the payload a placeholder sits, and what it stands for. */
    private record Slot(List<String> path, String kind, int index, String key) {}

    private final String taskName;
    private final ObjectNode shape;
    private final List<Slot> slots = new ArrayList<>();
    private final TreeSet<Integer> argIndexes = new TreeSet<>();
    private final TreeSet<String> kwargKeys = new TreeSet<>();

    public PayloadTemplate(String taskName, ObjectNode shape) {
        this.taskName = taskName;
        this.shape = shape.deepCopy();
        collect(shape, new ArrayList<>());
        for (int i = 0; i < argIndexes.size(); i++) {
            if (!argIndexes.contains(i)) {
                throw new IllegalArgumentException("template for " + taskName + " skips args[" + i + "]; positional"
                        + " arguments must be carried from args[0] on, so rollback can rebuild them");
            }
        }
    }

    private void collect(JsonNode node, List<String> path) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                List<String> sub = new ArrayList<>(path);
                sub.add(e.getKey());
                collect(e.getValue(), sub);
            }
        } else if (node.isTextual()) {
            Matcher m = PLACEHOLDER.matcher(node.asText());
            if (m.matches()) {
                Slot slot = m.group(2) != null
                        ? new Slot(path, "args", Integer.parseInt(m.group(2)), null)
                        : m.group(3) != null
                                ? new Slot(path, "kwargs", -1, m.group(3))
                                : new Slot(path, m.group(1), -1, null);
                slots.add(slot);
                if (slot.kind().equals("args")) {
                    argIndexes.add(slot.index());
                } else if (slot.kind().equals("kwargs")) {
                    kwargKeys.add(slot.key());
                }
            }
        }
    }

    public String taskName() {
        return taskName;
    }

    /**
     * The payload for {@code msg}.
     *
     * @throws TemplateMismatchException when the message has an argument the template cannot carry
     */
    public ObjectNode apply(CeleryMessage msg) {
        ArrayNode args = msg.args();
        ObjectNode kwargs = msg.kwargs();
        if (args.size() > argIndexes.size()) {
            throw new TemplateMismatchException(
                    taskName,
                    "the message has " + args.size() + " positional arguments," + " the template carries "
                            + argIndexes.size());
        }
        for (Iterator<String> it = kwargs.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!kwargKeys.contains(key)) {
                throw new TemplateMismatchException(
                        taskName, "the template has no place for keyword argument '" + key + "'");
            }
        }
        ObjectNode out = shape.deepCopy();
        for (Slot s : slots) {
            JsonNode value =
                    switch (s.kind()) {
                        case "args" -> s.index() < args.size() ? args.get(s.index()) : null;
                        case "kwargs" -> kwargs.get(s.key());
                        case "id" -> NODES.textNode(msg.id());
                        case "task" -> NODES.textNode(msg.task());
                        case "eta" -> msg.eta() == null ? NullNode.instance : NODES.textNode(msg.eta());
                        case "expires" -> msg.expires() == null ? NullNode.instance : NODES.textNode(msg.expires());
                        case "retries" -> NODES.numberNode(msg.retries());
                        default -> throw new IllegalStateException(s.kind());
                    };
            if (value == null) {
                remove(out, s.path()); // an optional argument the caller did not pass
            } else {
                put(out, s.path(), value);
            }
        }
        return out;
    }

    /** Args, kwargs and (if the template carries it) the task id, rebuilt from a payload. */
    public record Inverted(ArrayNode args, ObjectNode kwargs, String id) {}

    public Inverted invert(JsonNode payload) {
        ArrayNode args = NODES.arrayNode();
        ObjectNode kwargs = NODES.objectNode();
        String id = null;
        JsonNode[] positional = new JsonNode[argIndexes.size()];
        for (Slot s : slots) {
            JsonNode value = get(payload, s.path());
            switch (s.kind()) {
                case "args" -> positional[s.index()] = value;
                case "kwargs" -> {
                    if (value != null) {
                        kwargs.set(s.key(), value);
                    }
                }
                case "id" -> id = value == null ? null : value.asText();
                default -> {}
            }
        }
        for (JsonNode v : positional) {
            if (v == null) {
                break; // trailing optional arguments were not passed
            }
            args.add(v);
        }
        return new Inverted(args, kwargs, id);
    }

    private static void put(ObjectNode root, List<String> path, JsonNode value) {
        ObjectNode cur = root;
        for (int i = 0; i < path.size() - 1; i++) {
            cur = (ObjectNode) cur.get(path.get(i));
        }
        cur.set(path.get(path.size() - 1), value);
    }

    private static void remove(ObjectNode root, List<String> path) {
        ObjectNode cur = root;
        for (int i = 0; i < path.size() - 1; i++) {
            cur = (ObjectNode) cur.get(path.get(i));
        }
        cur.remove(path.get(path.size() - 1));
    }

    private static JsonNode get(JsonNode root, List<String> path) {
        JsonNode cur = root;
        for (String p : path) {
            cur = cur == null ? null : cur.get(p);
        }
        return cur;
    }
}
