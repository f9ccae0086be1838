package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.ledger.QuarantineEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one part of a claimed batch became, once written and finished (or, for a dry run, would become).
 *
 * @param redo the part was left in flight by a crash and redone
 * @param messages messages of the part
 * @param sent messages sent to pgmq now
 * @param expired messages recorded as expired instead of sent
 * @param duplicates messages whose identity the ledger (or an earlier message) had with the same content: the
 *     committed decision stood
 * @param finishedOnCelery of the duplicates, those whose committed decision also sent them to Celery (a shadow copy's
 *     Celery side), pushed now
 * @param collisions messages quarantined because their identity was recorded with other content
 * @param quarantined every quarantine entry written (undecodable, unmappable, not storable, collisions)
 * @param toCelery pushes onto Celery lists
 * @param renewed messages that went on under a renewed identity (their old one was another delivery's)
 * @param flow the flow counts written, {@code task/route/direction → n}
 */
public record ForwardOutcome(
        boolean redo,
        int messages,
        List<Sent> sent,
        int expired,
        int duplicates,
        int finishedOnCelery,
        int collisions,
        List<QuarantineEntry> quarantined,
        List<CeleryPush> toCelery,
        int renewed,
        Map<String, Long> flow,
        long nanos) {

    /** One message sent to pgmq. */
    public record Sent(
            String identity, String taskName, String sourceKey, String queue, Instant eta, boolean delayed) {}

    public ForwardOutcome {
        sent = List.copyOf(sent);
        quarantined = List.copyOf(quarantined);
        toCelery = List.copyOf(toCelery);
        flow = Map.copyOf(flow);
    }
}
