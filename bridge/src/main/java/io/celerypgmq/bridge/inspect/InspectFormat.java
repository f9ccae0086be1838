package io.celerypgmq.bridge.inspect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.InspectView;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.codec.Serializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How {@code celery-pgmq inspect} prints: one line of text per message, or one JSON object per line with Celery's own
 * field names (the codec's {@link InspectView}, plus {@code size} and, for {@code unacked} entries, the queue a
 * restore would push them to); a count per task name at the end.
 */
public final class InspectFormat {
    private final InspectView view;

    public InspectFormat(PriorityKeys keys) {
        this.view = new InspectView(keys);
    }

    /** One JSON object, as text on one line. */
    public String json(InspectedMessage m) {
        ObjectNode o = m.decoded() ? view.json(m.message()) : view.json(m.error());
        if (m.decoded() || m.queue() != null) {
            o.put("queue", m.queue());
        }
        o.put("size", m.size());
        if (m.unacked()) {
            o.put("unacked", true);
            if (m.deliveredAt() != null) {
                o.put("delivered_at", m.deliveredAt());
            }
        }
        return InspectView.text(o);
    }

    /** {@code celery[3] tasks.add[3612bb75-…](2, 3) prio=5  [867 B, json, protocol 2]}. */
    public String text(InspectedMessage m) {
        String where = m.unacked() ? (m.queue() == null ? "?" : m.queue()) + " (unacked)" : null;
        if (!m.decoded()) {
            String line = view.line(m.error());
            return (where == null ? line : where + " " + line) + "  [" + m.size() + " B]";
        }
        CeleryMessage message = m.message();
        String line = view.line(message);
        if (where != null) {
            line = where + line.substring(line.indexOf(' '));
        }
        String serializer = message.serializer().map(Serializer::name).orElse(message.contentType());
        return line + "  [" + m.size() + " B, " + serializer.toLowerCase(java.util.Locale.ROOT) + ", protocol "
                + message.protocol() + "]";
    }

    /** The closing lines: totals, messages per key, then per task name and per decode failure. */
    public List<String> summary(InspectSummary s) {
        List<String> out = new ArrayList<>();
        out.add("--");
        StringBuilder head =
                new StringBuilder().append(s.messages()).append(s.messages() == 1 ? " message" : " messages");
        if (s.undecodable() > 0) {
            head.append(", ").append(s.undecodable()).append(" undecodable");
        }
        if (s.truncated()) {
            head.append(" (stopped at the limit; there may be more)");
        }
        out.add(head.toString());
        for (Map.Entry<String, Long> e : s.perKey().entrySet()) {
            out.add(String.format("  %-40s %8d", PrintableKey.of(e.getKey()), e.getValue()));
        }
        if (!s.perTask().isEmpty()) {
            out.add(String.format("%-42s %8s", "TASK", "COUNT"));
            s.perTask().forEach((task, n) -> out.add(String.format("%-42s %8d", task, n)));
        }
        s.perReason().forEach((reason, n) -> out.add(String.format("%-42s %8d", "undecodable: " + reason, n)));
        return out;
    }
}
