package io.celerypgmq.replay;

import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.KombuEnvelope;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.codec.UnackedEntry;
import io.celerypgmq.bridge.codec.UndecodableMessageException;
import io.celerypgmq.bridge.ledger.LedgerEntry;
import io.celerypgmq.bridge.ledger.QuarantineEntry;
import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pump.BatchPlan;
import io.celerypgmq.bridge.pump.BatchPlanner;
import io.celerypgmq.bridge.pump.HandOff;
import io.celerypgmq.bridge.pump.Outgoing;
import io.celerypgmq.bridge.redis.ClaimedMessage;
import io.celerypgmq.bridge.redis.InFlightList;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finishes what sits in a drain's in-flight list, exactly as the bridge's forward pump would: decode, plan by the
 * drain's destinations, hand to Postgres in one transaction (ledger + send_batch + quarantine; the ledger's unique
 * identity makes a redo send nothing twice), then forget the batch in Redis. {@code unacked} values are unwrapped
 * first and routed to the list kombu would restore them to, so their priority is kept.
 */
final class HandOver {
    static final String ORIGIN = "replay";

    private final CeleryCodec codec;
    private final PriorityKeys keys;
    private final BatchPlanner planner;
    private final HandOff handOff;
    private final Destinations destinations;
    private final UnackedRouting routing;
    private final LedgerLookup ledger;
    private final ReturnedMessages returned;
    private final String unackedKey;
    private final Clock clock;

    HandOver(
            CeleryCodec codec,
            PriorityKeys keys,
            BatchPlanner planner,
            HandOff handOff,
            Destinations destinations,
            UnackedRouting routing,
            LedgerLookup ledger,
            String unackedKey,
            Clock clock) {
        this.codec = codec;
        this.keys = keys;
        this.planner = planner;
        this.handOff = handOff;
        this.destinations = destinations;
        this.routing = routing;
        this.ledger = ledger;
        this.returned = new ReturnedMessages(routing.redis());
        this.unackedKey = unackedKey;
        this.clock = clock;
    }

    /** Redoes whatever an interrupted run left in {@code inFlight}; returns how many messages it held. */
    int redo(InFlightList inFlight, ReplayTally tally) {
        List<ClaimedMessage> batch = inFlight.pending();
        if (!batch.isEmpty()) {
            finish(inFlight, batch, tally);
        }
        return batch.size();
    }

    /** Hands {@code batch} (what {@code inFlight} holds) to Postgres, then empties the in-flight list. */
    void finish(InFlightList inFlight, List<ClaimedMessage> batch, ReplayTally tally) {
        complete(prepare(batch, Set.of()), inFlight, tally, false);
    }

    /** A batch decoded, planned and looked up in the ledger, not yet written: the first half of {@link #finish}. */
    record Prepared(List<ClaimedMessage> batch, Instant now, Planned planned) {
        Set<String> identities() {
            return new HashSet<>(HandOver.identities(planned.plan()));
        }
    }

    /**
     * Plans {@code batch} while the batch before it may still be on its way to Postgres: its identities
     * ({@code ahead}) count as known, since that batch is written, or redone together with this one, first.
     */
    Prepared prepare(List<ClaimedMessage> batch, Set<String> ahead) {
        Instant now = clock.instant();
        Planned p = plan(batch, now, true);
        if (!ahead.isEmpty()) {
            Set<String> known = new HashSet<>(p.known());
            known.addAll(ahead); // counting asks only about this batch's identities
            p = new Planned(p.plan(), known, p.returned());
        }
        return new Prepared(batch, now, p);
    }

    /**
     * Writes a prepared batch and forgets it in Redis: the whole in-flight list, or with {@code oldestOnly} just
     * this batch's entries at its tail (a later batch may be claimed behind it).
     */
    void complete(Prepared prepared, InFlightList inFlight, ReplayTally tally, boolean oldestOnly) {
        Planned p = prepared.planned();
        BatchPlan plan = p.plan();
        HandOff.Result result = handOff.write(plan);
        if (oldestOnly) {
            inFlight.finishOldest(plan.celery(), prepared.batch().size());
        } else {
            inFlight.finish(plan.celery());
        }
        count(plan, p.known(), prepared.now(), tally);
        p.noteReturned(tally);
        tally.duplicates += result.duplicates();
        if (!plan.celery().isEmpty()) {
            tally.left(
                    "put back: the task type lost its destination while in flight",
                    plan.celery().size());
        }
    }

    /** What {@link #finish} would do with {@code batch}, counted, with nothing written anywhere. */
    void preview(List<ClaimedMessage> batch, boolean ledgerPresent, ReplayTally tally) {
        Instant now = clock.instant();
        Planned p = plan(batch, now, ledgerPresent);
        BatchPlan plan = p.plan();
        Set<String> known = p.known();
        p.noteReturned(tally);
        long before = tally.moved + tally.expired;
        count(plan, known, now, tally);
        tally.duplicates += plan.pgmq().size() - (tally.moved + tally.expired - before);
    }

    /** A batch's plan, the identities the ledger already had, and how many came back from a rollback. */
    private record Planned(BatchPlan plan, Set<String> known, int returned) {
        void noteReturned(ReplayTally tally) {
            if (returned > 0) {
                tally.returned += returned;
                tally.note("messages that had come back from pgmq in a rollback were sent again under a new delivery"
                        + " tag (the old one is in the ledger already)");
            }
        }
    }

    private Planned plan(List<ClaimedMessage> batch, Instant now, boolean ledgerPresent) {
        BatchPlan plan = planOnce(batch, now);
        if (!ledgerPresent) {
            return new Planned(plan, Set.of(), 0);
        }
        Map<String, LedgerLookup.Sent> known = ledger.rows(identities(plan));
        Map<String, String> renewals = known.isEmpty() ? Map.of() : returned.renewals(known);
        if (renewals.isEmpty()) {
            return new Planned(plan, known.keySet(), 0);
        }
        BatchPlan renewed = planOnce(ReturnedMessages.retag(batch, renewals), now);
        Set<String> still = ledger.rows(identities(renewed)).keySet();
        return new Planned(renewed, still, renewals.size());
    }

    private BatchPlan planOnce(List<ClaimedMessage> batch, Instant now) {
        List<ClaimedMessage> planned = new ArrayList<>(batch.size());
        List<QuarantineEntry> badUnacked = new ArrayList<>();
        Map<String, String> origin = new HashMap<>();
        for (ClaimedMessage m : batch) {
            if (m.sourceKey().equals(unackedKey)) {
                unwrap(m, planned, badUnacked, origin);
            } else {
                planned.add(m);
            }
        }
        return relabel(planner.plan(planned, destinations.table(), now, ORIGIN), badUnacked, origin);
    }

    private static List<String> identities(BatchPlan plan) {
        return plan.pgmq().stream().map(o -> o.entry().identity()).toList();
    }

    private void unwrap(
            ClaimedMessage m, List<ClaimedMessage> planned, List<QuarantineEntry> bad, Map<String, String> origin) {
        try {
            UnackedEntry entry = codec.decodeUnacked(m.raw(), unackedKey);
            String queue = routing.resolve(entry.exchange(), entry.routingKey()).queue();
            String list = keys.keyFor(
                    queue != null ? queue : entry.routingKey(), entry.message().priority());
            byte[] inner = entry.message().source().orElseThrow().raw();
            planned.add(new ClaimedMessage(list, inner));
            origin.put(entry.message().identity(), unackedKey);
        } catch (UndecodableMessageException e) {
            bad.add(new QuarantineEntry(
                    e.identity() != null ? e.identity() : KombuEnvelope.sha256(m.raw()),
                    unackedKey,
                    m.raw(),
                    e.reason().name(),
                    e.detail()));
        }
    }

    /** The ledger and quarantine say where a message really came from: {@code unacked}, not the list it maps to. */
    private static BatchPlan relabel(BatchPlan plan, List<QuarantineEntry> badUnacked, Map<String, String> origin) {
        if (origin.isEmpty() && badUnacked.isEmpty()) {
            return plan;
        }
        List<Outgoing> pgmq = new ArrayList<>(plan.pgmq().size());
        for (Outgoing o : plan.pgmq()) {
            String source = origin.get(o.entry().identity());
            if (source == null) {
                pgmq.add(o);
            } else {
                LedgerEntry e = o.entry();
                LedgerEntry relabelled = new LedgerEntry(
                        e.identity(), e.taskId(), e.taskName(), source, e.route(), e.pgmqQueue(), e.eta(), e.expired());
                pgmq.add(o.withEntry(relabelled));
            }
        }
        List<QuarantineEntry> quarantined = new ArrayList<>(plan.quarantined());
        quarantined.addAll(badUnacked);
        return new BatchPlan(plan.celery(), pgmq, quarantined, plan.flow());
    }

    private static void count(BatchPlan plan, Set<String> known, Instant now, ReplayTally tally) {
        Set<String> seen = new HashSet<>(known);
        for (Outgoing o : plan.pgmq()) {
            LedgerEntry e = o.entry();
            if (!seen.add(e.identity())) {
                continue;
            }
            if (!o.isSent()) {
                tally.expired++;
                continue;
            }
            tally.moved(e.taskName(), e.sourceKey(), o.queue().value());
            if (o.delay() instanceof Delay.Until) {
                tally.delayed++;
            } else if (e.eta() != null && !e.eta().isAfter(now)) {
                tally.pastEta++;
            }
        }
        for (QuarantineEntry q : plan.quarantined()) {
            tally.failure(q.reason(), q.sourceKey());
        }
    }
}
