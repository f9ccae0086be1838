package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.ledger.QuarantineEntry;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one way-back batch did (or, previewed, would do).
 *
 * @param messages rows of the batch (delivered, already delivered, or quarantined; all archived)
 * @param delivered one entry per row delivered: its task, where it went, and whether now ({@code fresh}) or by an
 *     earlier attempt (its once-only marker existed)
 * @param quarantined rows that could not go back
 */
public record ReverseOutcome(
        QueueName queue, int messages, List<Delivered> delivered, List<QuarantineEntry> quarantined, boolean preview) {

    /** One row delivered. */
    public record Delivered(PgmqMessage row, String task, String target, boolean fresh) {
        public long msgId() {
            return row.msgId();
        }
    }

    public ReverseOutcome {
        delivered = List.copyOf(delivered);
        quarantined = List.copyOf(quarantined);
    }

    public int fresh() {
        return (int) delivered.stream().filter(Delivered::fresh).count();
    }

    /** Quarantined rows by reason, {@code reason → n}. */
    public Map<String, Long> quarantineReasons() {
        Map<String, Long> out = new TreeMap<>();
        quarantined.forEach(q -> out.merge(q.reason(), 1L, Long::sum));
        return out;
    }
}
