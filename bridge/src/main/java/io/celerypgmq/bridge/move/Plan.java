package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.ledger.FlowCounters;
import io.celerypgmq.bridge.ledger.QuarantineEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * What a part of a claimed batch becomes: pushes to Celery lists, messages for pgmq, quarantined bytes, messages to
 * renew (a new identity, then decided again) and the flow counts; plus how many messages a committed decision already
 * covered. Filled by the planner, read by the hand-off.
 */
final class Plan {
    /** A message to send again under a new identity: its old decision was another delivery's. */
    record Renewal(Decoded from, String newTag) {}

    final List<CeleryPush> celery = new ArrayList<>();
    final List<Outgoing> pgmq = new ArrayList<>();
    final List<QuarantineEntry> quarantined = new ArrayList<>();
    final List<Renewal> renewals = new ArrayList<>();
    final FlowCounters flow = new FlowCounters();
    /** Messages whose identity the ledger (or an earlier message of this part) already had with the same content. */
    int duplicates;
    /** Of those, the ones whose recorded decision still sent them to Celery (a shadow copy's Celery side). */
    int finishedOnCelery;
    /** Messages quarantined because their identity was recorded with other content. */
    int collisions;

    boolean writesNothing() {
        return pgmq.isEmpty() && quarantined.isEmpty() && flow.isEmpty();
    }

    /** Takes in a plan made for renewed messages. */
    void absorb(Plan other) {
        celery.addAll(other.celery);
        pgmq.addAll(other.pgmq);
        quarantined.addAll(other.quarantined);
        renewals.addAll(other.renewals);
        flow.addAll(other.flow);
        duplicates += other.duplicates;
        finishedOnCelery += other.finishedOnCelery;
        collisions += other.collisions;
    }
}
