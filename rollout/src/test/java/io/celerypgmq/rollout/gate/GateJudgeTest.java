package io.celerypgmq.rollout.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.verifier.criteria.Criterion;
import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.criteria.Gate;
import io.celerypgmq.verifier.criteria.Thresholds;
import io.celerypgmq.verifier.criteria.Verdict;
import io.celerypgmq.verifier.uptime.UptimeStats;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GateJudgeTest {
    private static final CriterionResult NONE_MISSING =
            new CriterionResult(Criterion.ZERO_LOSS, Verdict.PASS, 0, "0 missing of 40", "0 missing", "");
    private static final CriterionResult LOW_DLQ =
            new CriterionResult(Criterion.DLQ_RATE, Verdict.PASS, 0, "0.00 % (0 of 40)", "< 1 %", "");

    @Test
    void aStepWhoseCriteriaPassIsGo() {
        GateOutcome g = GateJudge.judge(reading(NONE_MISSING, LOW_DLQ), reading(NONE_MISSING));
        assertThat(g.gate()).isEqualTo(Gate.GO);
        assertThat(g.summary())
                .isEqualTo("zero loss 0 missing of 40 (threshold 0 missing) PASS; DLQ rate 0.00 % (0 of 40) (threshold"
                        + " < 1 %) PASS");
    }

    @Test
    void aMessageOfAnEarlierStepMissingNowFailsTheGateEvenWhenTheStepPassed() {
        CriterionResult earlier =
                new CriterionResult(Criterion.ZERO_LOSS, Verdict.FAIL, 1, "1 missing of 90", "0 missing", "");

        GateOutcome g = GateJudge.judge(reading(NONE_MISSING, LOW_DLQ), reading(earlier));

        assertThat(g.gate()).isEqualTo(Gate.NO_GO);
        assertThat(g.cause(false))
                .isEqualTo("zero loss 1 missing of 90 over the whole rollout (threshold 0 missing) FAIL");
    }

    @Test
    void aWindowWithoutEntriesMeasuresNothingAndPassesUnlessStrict() {
        GateOutcome g = GateJudge.judge(reading(), reading());
        assertThat(g.passes(false)).isTrue();
        assertThat(g.passes(true)).isFalse();
        assertThat(g.cause(true)).isEqualTo("nothing measured and --strict");
        assertThat(g.summary()).isEqualTo("no ledger entries of the task type in the window: nothing measured");
    }

    private static StepReading reading(CriterionResult... results) {
        return new StepReading(
                List.of(results), Set.of(), 0, UptimeStats.none(Thresholds.DEFAULTS.stall()), Thresholds.DEFAULTS);
    }
}
