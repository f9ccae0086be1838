package io.celerypgmq.bridge.daemon;

import io.celerypgmq.bridge.move.ForwardOutcome;
import io.celerypgmq.bridge.move.ReverseOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Bridge counters in Micrometer, named {@code celery_pgmq_*} on /metrics. Per-task-type flow carries the task name as
 * a label: task types are few (they are code), unlike task ids.
 */
public final class MicrometerPumpMetrics implements PumpMetrics {
    private final MeterRegistry registry;
    private final Counter claimed;
    private final Counter redone;
    private final Counter sent;
    private final Counter expired;
    private final Counter duplicates;
    private final Counter quarantined;
    private final Counter collisions;
    private final Counter reversePushed;
    private final Counter reverseAlready;
    private final Counter reverseQuarantined;
    private final Timer batch;

    public MicrometerPumpMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.claimed = Counter.builder("celery_pgmq_claimed")
                .description("Messages claimed from Celery lists")
                .register(registry);
        this.redone = Counter.builder("celery_pgmq_redone")
                .description("Messages redone from an in-flight list after a crash")
                .register(registry);
        this.sent = Counter.builder("celery_pgmq_sent_to_pgmq")
                .description("Messages sent to pgmq")
                .register(registry);
        this.expired = Counter.builder("celery_pgmq_expired")
                .description("Messages recorded as expired instead of sent")
                .register(registry);
        this.duplicates = Counter.builder("celery_pgmq_duplicates_suppressed")
                .description("Messages already in the ledger, not sent again")
                .register(registry);
        this.quarantined = Counter.builder("celery_pgmq_quarantined")
                .description("Messages quarantined")
                .register(registry);
        this.collisions = Counter.builder("celery_pgmq_identity_collisions")
                .description("Messages quarantined because their identity was recorded with other content")
                .register(registry);
        this.reversePushed = Counter.builder("celery_pgmq_reverse_pushed")
                .description("pgmq messages pushed back to Celery")
                .register(registry);
        this.reverseAlready = Counter.builder("celery_pgmq_reverse_already_pushed")
                .description("pgmq messages found already pushed (idempotency marker) on redo")
                .register(registry);
        this.reverseQuarantined = Counter.builder("celery_pgmq_reverse_quarantined")
                .description("pgmq messages that could not be turned back into Celery messages")
                .register(registry);
        this.batch = Timer.builder("celery_pgmq_batch_latency")
                .description("Time to claim, hand off and finish one forward batch")
                .publishPercentileHistogram()
                .register(registry);
    }

    @Override
    public void claimed(int messages, boolean redo) {
        (redo ? redone : claimed).increment(messages);
    }

    @Override
    public void moved(ForwardOutcome o) {
        sent.increment(o.sent().size());
        expired.increment(o.expired());
        duplicates.increment(o.duplicates());
        quarantined.increment(o.quarantined().size());
        collisions.increment(o.collisions());
        batch.record(Duration.ofNanos(o.nanos()));
        o.flow().forEach((key, count) -> {
            String[] parts = key.split("/", 3);
            registry.counter("celery_pgmq_routed", "task", parts[0], "route", parts[1], "direction", parts[2])
                    .increment(count);
        });
    }

    @Override
    public void moved(ReverseOutcome o) {
        int fresh = o.fresh();
        reversePushed.increment(fresh);
        reverseAlready.increment(o.delivered().size() - fresh);
        reverseQuarantined.increment(o.quarantined().size());
    }

    @Override
    public void failed(String pump, Throwable error) {
        registry.counter(
                        "celery_pgmq_pass_failures",
                        "pump",
                        pump,
                        "error",
                        error.getClass().getSimpleName())
                .increment();
    }
}
