package io.celerypgmq.bridge.pump;

import io.celerypgmq.bridge.ledger.FlowCounters;
import io.celerypgmq.bridge.ledger.QuarantineEntry;
import io.celerypgmq.bridge.redis.CeleryPush;
import java.util.List;

/** What one claimed batch becomes: pushes to Celery lists, messages for pgmq, and quarantined bytes. */
public record BatchPlan(
        List<CeleryPush> celery, List<Outgoing> pgmq, List<QuarantineEntry> quarantined, FlowCounters flow) {
    public BatchPlan {
        celery = List.copyOf(celery);
        pgmq = List.copyOf(pgmq);
        quarantined = List.copyOf(quarantined);
    }
}
