package io.celerypgmq.rollout.gate;

import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.criteria.Gate;
import io.celerypgmq.verifier.criteria.Verdict;
import java.util.List;
import java.util.stream.Collectors;

/** A gate's verdict over one step's window: the verifier's criteria for the task type, and what they add up to. */
public record GateOutcome(Gate gate, List<CriterionResult> results) {

    public GateOutcome {
        results = List.copyOf(results);
    }

    public static GateOutcome of(List<CriterionResult> results) {
        return new GateOutcome(Gate.of(results), results);
    }

    /** Whether the rollout may move on; {@code strict} refuses criteria that could not be measured, or none at all. */
    public boolean passes(boolean strict) {
        return gate.passes(strict) && !(strict && results.isEmpty());
    }

    /** Each criterion and its measurement, e.g. {@code DLQ rate 0.00 % (0 of 120) PASS}. */
    public String summary() {
        return results.isEmpty()
                ? "no ledger entries of the task type in the window: nothing measured"
                : results.stream().map(GateOutcome::describe).collect(Collectors.joining("; "));
    }

    /** Why the gate refuses: the failing criteria (or, strict, the unmeasured ones) with their measurements. */
    public String cause(boolean strict) {
        String failed = results.stream()
                .filter(r -> r.verdict() == Verdict.FAIL || (strict && r.verdict() == Verdict.NOT_MEASURED))
                .map(GateOutcome::describe)
                .collect(Collectors.joining("; "));
        return failed.isEmpty() ? "nothing measured and --strict" : failed;
    }

    static String describe(CriterionResult r) {
        String base = r.criterion().label() + " " + r.measured() + " (threshold " + r.threshold() + ")";
        return switch (r.verdict()) {
            case PASS -> base + " PASS";
            case FAIL -> base + " FAIL" + (r.note().isEmpty() ? "" : ", " + r.note());
            case NOT_MEASURED -> r.criterion().label() + " not measured (" + r.note() + ")";
        };
    }
}
