package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.pump.ExpiresPolicy;
import io.celerypgmq.bridge.pump.PgmqPayloads;
import io.celerypgmq.bridge.pump.PriorityPolicy;
import java.util.Map;
import java.util.Objects;

/**
 * How a forward mover turns claimed Celery messages into decisions: the codec, Celery's key layout, where
 * Celery-routed messages go, the pgmq payloads, and what the ledger calls the mover's pgmq decisions.
 *
 * @param celeryTargets source queue → the Celery queue workers consume (a queue not listed goes back to itself)
 * @param origin the ledger's route label for a message this mover sends to pgmq ({@code pgmq} for the bridge,
 *     {@code replay} for a drain); shadow copies are labelled {@code shadow}
 * @param renewShadowRecords what a message whose identity the ledger records as a shadow copy is: the bridge finishes
 *     that decision (the Celery side still has to get it: false); a drain at cutover moves the Celery copy, which is
 *     a delivery of its own, under a renewed identity (true)
 * @param unacked how to read {@code unacked} entries, or {@link UnackedEntries#NONE}
 */
public record ForwardRules(
        CeleryCodec codec,
        PriorityKeys keys,
        Map<String, String> celeryTargets,
        PgmqPayloads payloads,
        ExpiresPolicy expiresPolicy,
        PriorityPolicy priorityPolicy,
        String origin,
        boolean renewShadowRecords,
        UnackedEntries unacked) {

    public ForwardRules {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(keys, "keys");
        celeryTargets = Map.copyOf(celeryTargets);
        Objects.requireNonNull(payloads, "payloads");
        Objects.requireNonNull(expiresPolicy, "expiresPolicy");
        Objects.requireNonNull(priorityPolicy, "priorityPolicy");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(unacked, "unacked");
    }

    /** The bridge's rules: pgmq decisions labelled {@code pgmq}, shadow records finished on Celery, no unacked. */
    public static ForwardRules bridge(
            CeleryCodec codec,
            PriorityKeys keys,
            Map<String, String> celeryTargets,
            PgmqPayloads payloads,
            ExpiresPolicy expiresPolicy,
            PriorityPolicy priorityPolicy) {
        return new ForwardRules(
                codec,
                keys,
                celeryTargets,
                payloads,
                expiresPolicy,
                priorityPolicy,
                "pgmq",
                false,
                UnackedEntries.NONE);
    }
}
