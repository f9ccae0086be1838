package io.celerypgmq.bridge.pump;

import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.KombuEnvelope;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.codec.UndecodableMessageException;
import io.celerypgmq.bridge.ledger.FlowCounters;
import io.celerypgmq.bridge.ledger.LedgerEntry;
import io.celerypgmq.bridge.ledger.QuarantineEntry;
import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.redis.CeleryPush;
import io.celerypgmq.bridge.redis.ClaimedMessage;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteTable;
import io.celerypgmq.bridge.route.RoutingDecision;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, without any I/O, what happens to each message of a claimed batch: decode, route by task type, build the
 * pgmq payload or the Celery push. A message that cannot be decoded or mapped becomes a quarantine entry; nothing is
 * dropped and nothing stops the batch.
 */
public final class BatchPlanner {
    private final CeleryCodec codec;
    private final PriorityKeys keys;
    private final Map<String, String> celeryTargets;
    private final PgmqPayloads payloads;
    private final ExpiresPolicy expiresPolicy;
    private final PriorityPolicy priorityPolicy;

    /**
     * @param celeryTargets source queue name → the Celery queue workers consume (where Celery-routed messages go)
     */
    public BatchPlanner(
            CeleryCodec codec,
            PriorityKeys keys,
            Map<String, String> celeryTargets,
            PgmqPayloads payloads,
            ExpiresPolicy expiresPolicy,
            PriorityPolicy priorityPolicy) {
        this.codec = codec;
        this.keys = keys;
        this.celeryTargets = Map.copyOf(celeryTargets);
        this.payloads = payloads;
        this.expiresPolicy = expiresPolicy;
        this.priorityPolicy = priorityPolicy;
    }

    public BatchPlan plan(List<ClaimedMessage> batch, RouteTable routes, Instant now, String origin) {
        List<CeleryPush> celery = new ArrayList<>();
        List<Outgoing> pgmq = new ArrayList<>();
        List<QuarantineEntry> quarantined = new ArrayList<>();
        FlowCounters flow = new FlowCounters();
        for (ClaimedMessage m : batch) {
            try {
                CeleryMessage msg = codec.decode(m.raw(), m.sourceKey());
                String rootId = msg.rootId() != null ? msg.rootId() : msg.id();
                RoutingDecision d = routes.decide(msg.task(), rootId);
                Optional<PriorityKeys.QueueStep> from = keys.parse(m.sourceKey());
                int step = from.map(PriorityKeys.QueueStep::step).orElse(0);
                if (d.toPgmq()) {
                    pgmq.add(outgoing(msg, m, d, step, now, origin));
                    flow.add(msg.task(), d.route().mode().label(), d.isShadowCopy() ? "to_shadow" : "to_pgmq");
                }
                if (d.toCelery()) {
                    String queue = from.map(PriorityKeys.QueueStep::queue).orElse(m.sourceKey());
                    String target = celeryTargets.getOrDefault(queue, queue);
                    celery.add(new CeleryPush(keys.keyFor(target, step), m.raw()));
                    flow.add(msg.task(), d.route().mode().label(), "to_celery");
                }
            } catch (UndecodableMessageException e) {
                quarantined.add(new QuarantineEntry(
                        e.identity() != null ? e.identity() : KombuEnvelope.sha256(m.raw()),
                        m.sourceKey(),
                        m.raw(),
                        e.reason().name(),
                        e.detail()));
                flow.add("(undecodable)", "quarantine", "quarantined");
            } catch (TemplateMismatchException | IllegalArgumentException | IllegalStateException e) {
                quarantined.add(new QuarantineEntry(
                        KombuEnvelope.sha256(m.raw()), m.sourceKey(), m.raw(), "UNMAPPABLE", e.getMessage()));
                flow.add("(unmappable)", "quarantine", "quarantined");
            }
        }
        return new BatchPlan(celery, pgmq, quarantined, flow);
    }

    private Outgoing outgoing(
            CeleryMessage msg, ClaimedMessage m, RoutingDecision d, int step, Instant now, String origin) {
        Route route = d.route();
        String routeLabel = d.isShadowCopy() ? "shadow" : origin;
        QueueName queue = QueueName.of(
                priorityPolicy == PriorityPolicy.QUEUE_PER_STEP && step > 0
                        ? route.pgmqQueue() + "_p" + step
                        : route.pgmqQueue());
        Instant eta = msg.etaTime(ZoneOffset.UTC).map(OffsetDateTime::toInstant).orElse(null);
        boolean expired = expiresPolicy == ExpiresPolicy.RECORD_EXPIRED
                && msg.expiresTime(ZoneOffset.UTC)
                        .map(t -> t.toInstant().isBefore(now))
                        .orElse(false);
        LedgerEntry entry = new LedgerEntry(
                msg.identity(), msg.id(), msg.task(), m.sourceKey(), routeLabel, queue.value(), eta, expired);
        if (expired) {
            return new Outgoing(entry, queue, null, null, null, null);
        }
        return new Outgoing(
                entry,
                queue,
                payloads.message(msg, m.raw(), route.format()),
                payloads.headers(msg, m.sourceKey(), routeLabel, route.format()),
                eta == null || !eta.isAfter(now) ? Delay.none() : Delay.until(eta),
                payloads.envelope(m.raw(), route.format()));
    }
}
