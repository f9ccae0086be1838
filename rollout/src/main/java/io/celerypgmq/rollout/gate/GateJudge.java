package io.celerypgmq.rollout.gate;

import io.celerypgmq.verifier.criteria.Criterion;
import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.criteria.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges a gate: the step's window decides every criterion (zero loss, DLQ rate, consumer uptime, p95 queue wait,
 * shadow agreement where there were copies), and zero loss must also hold over the whole rollout so far, so a message
 * of an earlier step that went missing after its own gate still stops the rollout. Pure.
 */
public final class GateJudge {
    private GateJudge() {}

    public static GateOutcome judge(StepReading step, StepReading wholeRollout) {
        List<CriterionResult> results = new ArrayList<>(step.criteria());
        wholeRollout
                .result(Criterion.ZERO_LOSS)
                .filter(r -> r.verdict() == Verdict.FAIL)
                .ifPresent(r -> results.add(new CriterionResult(
                        r.criterion(),
                        r.verdict(),
                        r.value(),
                        r.measured() + " over the whole rollout",
                        r.threshold(),
                        r.note())));
        return GateOutcome.of(results);
    }
}
