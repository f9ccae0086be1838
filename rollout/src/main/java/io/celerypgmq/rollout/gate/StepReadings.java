package io.celerypgmq.rollout.gate;

import io.celerypgmq.rollout.Rollout;
import io.celerypgmq.verifier.TaskGlob;
import io.celerypgmq.verifier.Verifier;
import io.celerypgmq.verifier.VerifyRequest;
import io.celerypgmq.verifier.criteria.CriteriaBook;
import java.time.Instant;

/** Runs the project's verifier for a rollout's task type over a step's window, or over the whole rollout so far. */
public final class StepReadings {
    private final Verifier verifier;
    private final CriteriaBook criteria;

    public StepReadings(Verifier verifier, CriteriaBook criteria) {
        this.verifier = verifier;
        this.criteria = criteria;
    }

    /** Ledger entries bridged since the step began. */
    public StepReading step(Rollout r, Instant now) {
        return read(r, r.stepStartedAt(), now);
    }

    /** Ledger entries bridged since the rollout began. */
    public StepReading wholeRollout(Rollout r, Instant now) {
        return read(r, r.startedAt(), now);
    }

    private StepReading read(Rollout r, Instant since, Instant now) {
        String task = r.plan().task();
        Instant until = now.isAfter(since) ? now : since.plusMillis(1);
        var report = verifier.run(new VerifyRequest(since, until, new TaskGlob(task)));
        return StepReading.of(report, task, criteria.forTask(task));
    }
}
