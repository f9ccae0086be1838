package io.celerypgmq.rollout.rollback;

import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.replay.CancelToken;
import io.celerypgmq.replay.PgmqToRedisReplay;
import io.celerypgmq.replay.Progress;
import io.celerypgmq.replay.ReplayContext;
import io.celerypgmq.replay.ReplayFilter;
import io.celerypgmq.replay.ReplayReport;
import io.celerypgmq.replay.ReverseSpec;
import io.celerypgmq.rollout.Rollout;
import java.util.List;
import java.util.Set;

/**
 * One pass of a rollback's drain: what waits in the rollout's pgmq queue and its DLQ for the task type goes back to
 * Celery through replay's reverse path (rebuilt, validated, pushed once with its marker, then archived), as the
 * resumable replay job {@code rollout-<id>-rollback}. Messages a consumer holds stay until their visibility timeout
 * passes; the driver runs passes (of at most {@link #PASS_LIMIT} messages) until {@link #left} finds nothing.
 */
public final class RollbackPass {
    /** Messages one pass moves at most, so a driver pass stays short and the bridge's loop stays healthy. */
    static final long PASS_LIMIT = 5_000;

    private final ReplayContext replay;
    private final CancelToken cancel;

    public RollbackPass(ReplayContext replay, CancelToken cancel) {
        this.replay = replay;
        this.cancel = cancel;
    }

    public ReplayReport run(Rollout r) {
        ReverseSpec spec = ReverseSpec.of(r.plan().queue())
                .withDlq(true)
                .withFilter(new ReplayFilter(List.of(r.plan().task()), Set.of(), null))
                .withCeleryQueue(r.plan().celeryQueue())
                .withJobId(jobId(r))
                .withLimits(PASS_LIMIT, 0, 0);
        return new PgmqToRedisReplay(replay, spec).run(cancel, Progress.NONE);
    }

    /** Messages of the task type still in the rollout's queue and its DLQ. */
    public long left(Rollout r) {
        return PgmqLeftovers.count(
                replay.db(),
                List.of(QueueName.of(r.plan().queue()), QueueName.of(r.plan().queue() + "_dlq")),
                r.plan().task());
    }

    public static String jobId(Rollout r) {
        return "rollout-" + r.id() + "-rollback";
    }
}
