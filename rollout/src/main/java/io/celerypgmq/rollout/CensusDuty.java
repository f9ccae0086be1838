package io.celerypgmq.rollout;

import io.celerypgmq.bridge.inspect.TaskCensus;
import io.celerypgmq.bridge.status.CensusStore;
import io.celerypgmq.rollout.lease.Fence;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The lease holder's other job: counting Celery's Redis by task type every {@code interval} and storing the count
 * for every instance, the CLI and the dashboard. On taking the lease it first carries over the previous holder's
 * first sightings, so the Celery side's lag does not restart from zero.
 */
final class CensusDuty {
    private final TaskCensus census;
    private final CensusStore store;
    private final Duration interval;
    private final Clock clock;
    private long seededEpoch = -1;
    private Instant last = Instant.MIN;

    CensusDuty(TaskCensus census, CensusStore store, Duration interval, Clock clock) {
        this.census = census;
        this.store = store;
        this.interval = interval;
        this.clock = clock;
    }

    /** Takes and stores a census when one is due; returns whether it did. */
    boolean runIfDue(Fence fence) {
        if (seededEpoch != fence.epoch()) {
            store.latest().ifPresent(previous -> previous.result()
                    .counts()
                    .forEach(n -> census.remember(n.oldestIdentity(), n.oldestSeenAt(), n.lowerBound())));
            seededEpoch = fence.epoch();
        }
        Instant now = clock.instant();
        if (now.isBefore(last.plus(interval)) && !now.isBefore(last)) {
            return false;
        }
        store.save(census.take(), fence.holder());
        last = now;
        return true;
    }
}
