package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.codec.UnackedEntry;
import io.celerypgmq.bridge.codec.UndecodableMessageException;
import io.celerypgmq.bridge.ledger.LedgerEntry;
import io.celerypgmq.bridge.ledger.LedgerRecord;
import io.celerypgmq.bridge.ledger.QuarantineEntry;
import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.ExpiresPolicy;
import io.celerypgmq.bridge.pump.PriorityPolicy;
import io.celerypgmq.bridge.pump.TemplateMismatchException;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteTable;
import io.celerypgmq.bridge.route.RoutingDecision;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decides, without any I/O, what happens to each message of a claimed batch: decode, then route by task type, or
 * follow what the ledger recorded for its identity (DESIGN invariants 7 and 9), and build the pgmq payload or the Celery
 * push. A message that cannot be decoded or mapped becomes a quarantine entry; nothing is dropped and nothing stops the
 * batch.
 */
final class Planner {
    static final String COLLISION = "IDENTITY_COLLISION";

    private final ForwardRules rules;

    Planner(ForwardRules rules) {
        this.rules = rules;
    }

    ForwardRules rules() {
        return rules;
    }

    /**
     * Decodes {@code claimed} from {@code from} on, until the decoded messages weigh {@code budget} bytes (at least one
     * message): a part of the batch whose memory stays bounded whatever its messages inflate to.
     */
    List<Decoded> decode(List<ClaimedMessage> claimed, int from, long budget) {
        List<Decoded> out = new ArrayList<>(Math.min(claimed.size() - from, 128));
        long weight = 0;
        for (int i = from; i < claimed.size() && (out.isEmpty() || weight < budget); i++) {
            Decoded d = decode(claimed.get(i));
            weight += d.weight();
            out.add(d);
        }
        return out;
    }

    Decoded decode(ClaimedMessage m) {
        byte[] raw = m.raw();
        String list = m.sourceKey();
        try {
            if (m.sourceKey().equals(rules.unacked().hashKey())) {
                UnackedEntry entry = rules.codec().decodeUnacked(m.raw(), m.sourceKey());
                String queue = rules.unacked().queueOf(entry);
                raw = entry.message().source().orElseThrow().raw();
                list = rules.keys()
                        .keyFor(
                                queue != null ? queue : entry.routingKey(),
                                entry.message().priority());
            }
            CeleryMessage msg = rules.codec().decode(raw, list);
            long digest = msg.source().orElseThrow().contentDigest();
            return new Decoded(
                    m, raw, list, m.sourceKey(), msg, digest, null, raw.length + (long) msg.decodedBodyBytes());
        } catch (UndecodableMessageException e) {
            return new Decoded(m, raw, list, m.sourceKey(), null, null, e, m.raw().length);
        }
    }

    /** {@code d} again, under a new delivery tag ({@code retagged} are its bytes with it), from the same place. */
    Decoded renew(Decoded d, byte[] retagged) {
        try {
            CeleryMessage msg = rules.codec().decode(retagged, d.list());
            return new Decoded(
                    d.claimed(),
                    retagged,
                    d.list(),
                    d.ledgerSource(),
                    msg,
                    msg.source().orElseThrow().contentDigest(),
                    null,
                    d.weight());
        } catch (UndecodableMessageException e) {
            return new Decoded(d.claimed(), retagged, d.list(), d.ledgerSource(), null, null, e, d.weight());
        }
    }

    /**
     * Decides every message of {@code part}: by the routes, unless the ledger recorded its identity ({@code records})
     * or an earlier message of the part took it. {@code wentBack} holds the identities whose recorded pgmq copy was
     * rolled back to Celery since (such a message is a new delivery and is renewed).
     */
    Plan decide(
            List<Decoded> part,
            RouteTable routes,
            Map<String, LedgerRecord> records,
            Set<String> wentBack,
            Instant now) {
        Plan plan = new Plan();
        Map<String, Taken> taken = new HashMap<>();
        for (Decoded d : part) {
            if (d.failure() != null) {
                UndecodableMessageException e = d.failure();
                plan.quarantined.add(QuarantineEntry.of(
                        e.identity(),
                        d.ledgerSource(),
                        d.claimed().raw(),
                        e.reason().name(),
                        e.detail()));
                plan.flow.add("(undecodable)", "quarantine", "quarantined");
                continue;
            }
            try {
                decide(d, routes, records, wentBack, now, plan, taken);
            } catch (TemplateMismatchException | IllegalArgumentException | IllegalStateException e) {
                plan.quarantined.add(QuarantineEntry.of(
                        d.identity(), d.ledgerSource(), d.raw(), "UNMAPPABLE", String.valueOf(e.getMessage())));
                plan.flow.add("(unmappable)", "quarantine", "quarantined");
            }
        }
        return plan;
    }

    /** The pgmq side of an earlier message of the part: its content, and whether it also went to Celery. */
    private record Taken(Decoded by, boolean alsoToCelery) {}

    private void decide(
            Decoded d,
            RouteTable routes,
            Map<String, LedgerRecord> records,
            Set<String> wentBack,
            Instant now,
            Plan plan,
            Map<String, Taken> taken) {
        CeleryMessage msg = d.msg();
        String identity = msg.identity();
        LedgerRecord record = records.get(identity);
        Taken earlier = taken.get(identity);
        RoutingDecision fresh = routes.decide(msg.task(), msg.rootId() != null ? msg.rootId() : msg.id());
        if (record != null && !record.sameMessage(msg.id(), msg.task(), d.digest())) {
            collide(
                    d,
                    fresh,
                    plan,
                    "the ledger records this identity for task " + record.taskName() + " id " + record.taskId()
                            + " with other content");
        } else if (earlier != null && !sameContent(earlier.by(), d)) {
            collide(d, fresh, plan, "an earlier message of the same batch has this identity with other content");
        } else if (record != null) {
            follow(d, record, wentBack.contains(identity), plan);
        } else if (earlier != null) {
            plan.duplicates++;
            if (earlier.alsoToCelery()) {
                plan.finishedOnCelery++;
                plan.celery.add(celeryPush(d));
            }
        } else {
            route(d, fresh, now, plan);
            if (fresh.toPgmq()) {
                taken.put(identity, new Taken(d, fresh.toCelery()));
            }
        }
    }

    /** The committed decision for this identity stands (or, where it was another delivery's, a renewal). */
    private void follow(Decoded d, LedgerRecord record, boolean cameBack, Plan plan) {
        boolean renew = cameBack || (record.alsoToCelery() && rules.renewShadowRecords());
        if (renew) {
            plan.renewals.add(new Plan.Renewal(d, renewedTag(record)));
            return;
        }
        plan.duplicates++;
        if (record.alsoToCelery()) {
            plan.finishedOnCelery++;
            plan.celery.add(celeryPush(d));
        }
    }

    /**
     * Another message holds this identity: its pgmq side (where the routes give it one) is quarantined, never sent
     * over the first; its Celery side, where the routes give it one, goes as routed.
     */
    private void collide(Decoded d, RoutingDecision fresh, Plan plan, String why) {
        CeleryMessage msg = d.msg();
        if (fresh.toPgmq()) {
            plan.collisions++;
            plan.quarantined.add(QuarantineEntry.of(msg.identity(), d.ledgerSource(), d.raw(), COLLISION, why));
            plan.flow.add(msg.task(), "quarantine", "quarantined");
        }
        if (fresh.toCelery()) {
            plan.celery.add(celeryPush(d));
            plan.flow.add(msg.task(), fresh.route().mode().label(), "to_celery");
        }
    }

    private void route(Decoded d, RoutingDecision decision, Instant now, Plan plan) {
        CeleryMessage msg = d.msg();
        if (decision.toPgmq()) {
            Outgoing out = outgoing(d, decision, now);
            plan.pgmq.add(out);
            plan.flow.add(msg.task(), out.flowRoute(), out.flowDirection());
        }
        if (decision.toCelery()) {
            plan.celery.add(celeryPush(d));
            plan.flow.add(msg.task(), decision.route().mode().label(), "to_celery");
        }
    }

    private CeleryPush celeryPush(Decoded d) {
        PriorityKeys keys = rules.keys();
        var from = keys.parse(d.list());
        int step = from.map(PriorityKeys.QueueStep::step).orElse(0);
        String queue = from.map(PriorityKeys.QueueStep::queue).orElse(d.list());
        String target = rules.celeryTargets().getOrDefault(queue, queue);
        return new CeleryPush(keys.keyFor(target, step), d.raw());
    }

    private Outgoing outgoing(Decoded d, RoutingDecision decision, Instant now) {
        CeleryMessage msg = d.msg();
        Route route = decision.route();
        String routeLabel = decision.isShadowCopy() ? "shadow" : rules.origin();
        String flowRoute = route.mode().label();
        String direction = decision.isShadowCopy() ? "to_shadow" : "to_pgmq";
        int step =
                rules.keys().parse(d.list()).map(PriorityKeys.QueueStep::step).orElse(0);
        // a Celery worker on kombu's pgmq:// transport reads one queue per Celery queue and has no priority lists
        boolean perStep = rules.priorityPolicy() == PriorityPolicy.QUEUE_PER_STEP
                && step > 0
                && route.format() != PayloadFormat.KOMBU;
        QueueName queue = QueueName.of(perStep ? route.pgmqQueue() + "_p" + step : route.pgmqQueue());
        Instant eta = msg.etaTime(ZoneOffset.UTC).map(OffsetDateTime::toInstant).orElse(null);
        boolean expired = rules.expiresPolicy() == ExpiresPolicy.RECORD_EXPIRED
                && msg.expiresTime(ZoneOffset.UTC)
                        .map(t -> t.toInstant().isBefore(now))
                        .orElse(false);
        LedgerEntry entry = new LedgerEntry(
                msg.identity(),
                msg.id(),
                msg.task(),
                d.ledgerSource(),
                routeLabel,
                queue.value(),
                eta,
                expired,
                d.digest());
        if (expired) {
            return new Outgoing(entry, queue, null, null, null, null, d, flowRoute, direction);
        }
        var payloads = rules.payloads();
        return new Outgoing(
                entry,
                queue,
                payloads.message(msg, d.raw(), route.format()),
                payloads.headers(msg, d.list(), routeLabel, route.format()),
                eta == null || !eta.isAfter(now) ? Delay.none() : Delay.until(eta),
                payloads.envelope(d.raw(), route.format()),
                d,
                flowRoute,
                direction);
    }

    private static boolean sameContent(Decoded a, Decoded b) {
        return a.msg().id().equals(b.msg().id())
                && a.msg().task().equals(b.msg().task())
                && a.digest().equals(b.digest());
    }

    /**
     * The identity a message gets when the one it carries belongs to another delivery: derived from that identity and
     * the pgmq copy recorded for it, so a redo picks the same one.
     */
    static String renewedTag(LedgerRecord record) {
        String basis =
                "celery-pgmq:returned:" + record.identity() + ":" + record.pgmqQueue() + ":" + record.pgmqMsgId();
        return UUID.nameUUIDFromBytes(basis.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
