package io.celerypgmq.rollout;

import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.rollout.gate.GateOutcome;
import io.celerypgmq.verifier.criteria.Criterion;
import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.criteria.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Plans, rollouts and criteria results for the logic tests. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");
    static final Duration HOLD = Duration.ofMinutes(10);

    private Fixtures() {}

    static RolloutPlan plan(Duration shadow, boolean strict) {
        return new RolloutPlan(
                "send_welcome_email",
                List.of(1, 5, 25, 50, 100),
                HOLD,
                shadow,
                "user_tasks",
                "user_tasks_shadow",
                PayloadFormat.TEMPLATE,
                "celery_workers",
                strict);
    }

    static Rollout started(Duration shadow, Instant now) {
        Rollout draft = RolloutLauncher.draft(plan(shadow, false), now, "alice");
        return withId(draft, 12);
    }

    static Rollout withId(Rollout r, long id) {
        return new Rollout(
                id,
                r.plan(),
                r.state(),
                r.stepIndex(),
                r.stepStartedAt(),
                r.gateAt(),
                r.pausedFrom(),
                r.holdLeft(),
                r.startedAt(),
                r.rollbackAt(),
                r.cause(),
                r.drained(),
                r.version(),
                r.startedBy(),
                r.finishedAt());
    }

    static CriterionResult pass(Criterion c, String measured) {
        return new CriterionResult(c, Verdict.PASS, 0, measured, "ok", "");
    }

    static CriterionResult fail(Criterion c, String measured, String threshold) {
        return new CriterionResult(c, Verdict.FAIL, 1, measured, threshold, "");
    }

    static CriterionResult unmeasured(Criterion c) {
        return new CriterionResult(c, Verdict.NOT_MEASURED, Double.NaN, "not measured", "ok", "no samples");
    }

    static GateOutcome go() {
        return GateOutcome.of(
                List.of(pass(Criterion.ZERO_LOSS, "0 missing of 40"), pass(Criterion.DLQ_RATE, "0.00 % (0 of 40)")));
    }
}
