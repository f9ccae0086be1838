package io.celerypgmq.rollout.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.verifier.criteria.Criterion;
import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.criteria.Thresholds;
import io.celerypgmq.verifier.criteria.Verdict;
import io.celerypgmq.verifier.uptime.UptimeStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BreachRulesTest {
    private static final Duration HOLD = Duration.ofSeconds(100);
    private static final Thresholds NINETY = new Thresholds(1.0, 90.0, Duration.ofSeconds(5), Duration.ofSeconds(2), 0);
    private static final CriterionResult ONE_MISSING =
            new CriterionResult(Criterion.ZERO_LOSS, Verdict.FAIL, 1, "1 missing of 30", "0 missing", "");

    @Test
    void anIdentityMissingInOneCheckIsNotYetABreach() {
        StepReading r = reading(List.of(ONE_MISSING), Set.of("tag-1"), none());
        assertThat(BreachRules.check(r, Set.of(), HOLD, Duration.ofSeconds(10))).isEmpty();
        assertThat(BreachRules.check(r, Set.of("tag-2"), HOLD, Duration.ofSeconds(10)))
                .isEmpty();
    }

    @Test
    void theSameIdentityMissingInTwoChecksInARowIsABreachNamingIt() {
        StepReading r = reading(List.of(ONE_MISSING), Set.of("tag-1"), none());

        Breach b = BreachRules.check(r, Set.of("tag-1"), HOLD, Duration.ofSeconds(10))
                .orElseThrow();

        assertThat(b.criterion()).isEqualTo(Criterion.ZERO_LOSS);
        assertThat(b.describe())
                .isEqualTo("breach during the hold: zero loss 1 missing of 30, e.g. identity tag-1 (missing in two"
                        + " checks in a row)");
    }

    @Test
    void aDlqRateOverItsThresholdIsABreachWithItsMeasurement() {
        CriterionResult dlq =
                new CriterionResult(Criterion.DLQ_RATE, Verdict.FAIL, 25, "25.00 % (3 of 12)", "< 1.00 %", "");
        Breach b = BreachRules.check(reading(List.of(dlq), Set.of(), none()), Set.of(), HOLD, Duration.ofSeconds(10))
                .orElseThrow();
        assertThat(b.describe()).isEqualTo("breach during the hold: DLQ rate 25.00 % (3 of 12) (threshold < 1.00 %)");
    }

    @Test
    void aDlqRateWithinItsThresholdIsNoBreach() {
        CriterionResult dlq = new CriterionResult(Criterion.DLQ_RATE, Verdict.PASS, 0, "0.00 % (0 of 12)", "< 1 %", "");
        assertThat(BreachRules.check(reading(List.of(dlq), Set.of(), none()), Set.of(), HOLD, HOLD))
                .isEmpty();
    }

    @Test
    void aStallWithinWhatTheUptimeRuleAllowsOverTheWholeHoldIsNoBreach() {
        // 10 samples in the first 10 s of a 100 s hold: about 100 samples in all, and 90 % allows 10 down
        StepReading r = reading(List.of(), Set.of(), uptime(10, 0));
        assertThat(BreachRules.check(r, Set.of(), HOLD, Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void aStallBeyondTheUptimeRuleIsABreachBeforeTheGate() {
        StepReading r = reading(List.of(), Set.of(), uptime(50, 39));

        Breach b = BreachRules.check(r, Set.of(), HOLD, Duration.ofSeconds(50)).orElseThrow();

        assertThat(b.criterion()).isEqualTo(Criterion.CONSUMER_UPTIME);
        assertThat(b.measurement())
                .isEqualTo(
                        "lost: the consumer stalled in 11 of 50 samples (a readable message waiting 2 s or longer, up to 7.5"
                                + " s); the uptime rule (> 90 %) allows 10 of about 100 samples in this hold");
    }

    @Test
    void noSamplesIsNoBreach() {
        assertThat(BreachRules.check(reading(List.of(), Set.of(), none()), Set.of(), HOLD, HOLD))
                .isEmpty();
    }

    private static StepReading reading(List<CriterionResult> results, Set<String> missing, UptimeStats uptime) {
        return new StepReading(results, missing, missing.size(), uptime, NINETY);
    }

    private static UptimeStats none() {
        return UptimeStats.none(NINETY.stall());
    }

    private static UptimeStats uptime(long samples, long up) {
        Instant t = Instant.parse("2026-11-22T08:00:00Z");
        return new UptimeStats(samples, up, NINETY.stall(), t, t.plusSeconds(samples), 7.5);
    }
}
