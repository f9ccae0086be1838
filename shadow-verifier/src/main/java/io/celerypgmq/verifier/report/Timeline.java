package io.celerypgmq.verifier.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Throughput and backlog per time bucket of {@code step} from {@code start}.
 *
 * @param enqueued messages sent to pgmq (ledger {@code bridged_at})
 * @param completed archived or deleted, by when
 * @param deadLettered dead-lettered, by when the DLQ received them
 * @param backlog messages in the queues: sampled by {@code verify watch}, else derived (sent minus finished)
 * @param backlogSampled whether {@code backlog} comes from watch samples
 */
public record Timeline(
        Instant start,
        Duration step,
        List<Long> enqueued,
        List<Long> completed,
        List<Long> deadLettered,
        List<Long> backlog,
        boolean backlogSampled) {

    public Timeline {
        enqueued = List.copyOf(enqueued);
        completed = List.copyOf(completed);
        deadLettered = List.copyOf(deadLettered);
        backlog = List.copyOf(backlog);
    }

    public int buckets() {
        return enqueued.size();
    }

    public Instant bucketStart(int i) {
        return start.plus(step.multipliedBy(i));
    }
}
