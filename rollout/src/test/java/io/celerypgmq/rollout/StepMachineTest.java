package io.celerypgmq.rollout;

import static io.celerypgmq.rollout.Fixtures.HOLD;
import static io.celerypgmq.rollout.Fixtures.T0;
import static io.celerypgmq.rollout.Fixtures.fail;
import static io.celerypgmq.rollout.Fixtures.go;
import static io.celerypgmq.rollout.Fixtures.pass;
import static io.celerypgmq.rollout.Fixtures.unmeasured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.rollout.gate.Breach;
import io.celerypgmq.rollout.gate.GateOutcome;
import io.celerypgmq.verifier.criteria.Criterion;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StepMachineTest {
    private final SettableClock clock = new SettableClock(T0);

    @Test
    void aHoldWaitsUntilItsGateIsDueAndThenNeedsTheGateJudged() {
        Rollout r = Fixtures.started(Duration.ZERO, clock.instant());
        clock.advance(HOLD.minusSeconds(1));
        assertThat(StepMachine.gateDue(r, clock.instant())).isFalse();
        assertThat(StepMachine.decide(r, Optional.empty(), null, clock.instant()))
                .isInstanceOf(Decision.Hold.class);

        clock.advance(Duration.ofSeconds(1));
        assertThat(StepMachine.gateDue(r, clock.instant())).isTrue();
        assertThatThrownBy(() -> StepMachine.decide(r, Optional.empty(), null, clock.instant()))
                .hasMessageContaining("the gate of rollout #12 is due");
    }

    @Test
    void aGoAtTheShadowGateMovesToTheFirstShareWithAFreshWindow() {
        Rollout r = Fixtures.started(Duration.ofMinutes(5), clock.instant());
        assertThat(r.state()).isEqualTo(RolloutState.SHADOWING);
        assertThat(r.gateAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        clock.advance(Duration.ofMinutes(5));

        Decision d = StepMachine.decide(r, Optional.empty(), go(), clock.instant());

        assertThat(d).isEqualTo(new Decision.Advance(0, go()));
        Rollout next = r.advance(0, clock.instant());
        assertThat(next.percent()).isEqualTo(1);
        assertThat(next.stepText()).isEqualTo("1/5 (1 %)");
        assertThat(next.stepStartedAt()).isEqualTo(clock.instant());
        assertThat(next.gateAt()).isEqualTo(clock.instant().plus(HOLD));
    }

    @Test
    void everyGoMovesOneStepUpAndTheLastGoCompletes() {
        Rollout r = Fixtures.started(Duration.ZERO, clock.instant());
        for (int expected = 1; expected < 5; expected++) {
            clock.advance(HOLD);
            Decision d = StepMachine.decide(r, Optional.empty(), go(), clock.instant());
            assertThat(d).isEqualTo(new Decision.Advance(expected, go()));
            r = r.advance(expected, clock.instant());
        }
        assertThat(r.percent()).isEqualTo(100);
        clock.advance(HOLD);

        assertThat(StepMachine.decide(r, Optional.empty(), go(), clock.instant()))
                .isEqualTo(new Decision.Complete(go()));
        assertThat(r.complete(clock.instant()).state()).isEqualTo(RolloutState.COMPLETED);
    }

    @Test
    void aNoGoRollsBackNamingTheFailingCriterionAndItsMeasurement() {
        Rollout r = Fixtures.started(Duration.ZERO, clock.instant()).advance(2, clock.instant());
        clock.advance(HOLD);
        GateOutcome noGo = GateOutcome.of(List.of(
                pass(Criterion.ZERO_LOSS, "0 missing of 80"),
                fail(Criterion.DLQ_RATE, "12.50 % (10 of 80)", "< 1.00 %")));

        Decision d = StepMachine.decide(r, Optional.empty(), noGo, clock.instant());

        assertThat(d).isInstanceOf(Decision.RollBack.class);
        assertThat(((Decision.RollBack) d).cause())
                .isEqualTo(
                        "NO-GO at the gate of step 3/5 (25 %): DLQ rate 12.50 % (10 of 80) (threshold < 1.00 %) FAIL");
    }

    @Test
    void aBreachRollsBackAtOnceEvenWhilePaused() {
        Rollout r = Fixtures.started(Duration.ZERO, clock.instant()).advance(2, clock.instant());
        Breach breach = new Breach(Criterion.DLQ_RATE, "50.00 % (2 of 4) (threshold < 1.00 %)");
        clock.advance(Duration.ofSeconds(20));
        assertThat(StepMachine.decide(r, Optional.of(breach), null, clock.instant()))
                .isEqualTo(new Decision.RollBack(
                        "breach during the hold: DLQ rate 50.00 % (2 of 4) (threshold < 1.00 %) at step 3/5 (25 %)"));

        Rollout paused = r.pause(clock.instant());
        assertThat(StepMachine.decide(paused, Optional.of(breach), null, clock.instant()))
                .isInstanceOf(Decision.RollBack.class);
    }

    @Test
    void aPausedRolloutHoldsPastItsGateAndResumesWithTheHoldItHadLeft() {
        Rollout r = Fixtures.started(Duration.ZERO, clock.instant());
        clock.advance(Duration.ofMinutes(4));
        Rollout paused = r.pause(clock.instant());
        assertThat(paused.holdLeft()).isEqualTo(Duration.ofMinutes(6));
        clock.advance(Duration.ofHours(1));
        assertThat(StepMachine.gateDue(paused, clock.instant())).isFalse();
        assertThat(StepMachine.decide(paused, Optional.empty(), null, clock.instant()))
                .isInstanceOf(Decision.Hold.class);

        Rollout resumed = paused.resume(clock.instant());

        assertThat(resumed.state()).isEqualTo(RolloutState.RAMPING);
        assertThat(resumed.gateAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(6)));
        assertThat(resumed.stepStartedAt()).isEqualTo(T0);
        assertThatThrownBy(() -> resumed.resume(clock.instant()))
                .isInstanceOf(IllegalRolloutTransitionException.class)
                .hasMessageContaining("it is not paused");
    }

    @Test
    void unmeasuredCriteriaPassAGateUnlessTheRolloutIsStrict() {
        GateOutcome incomplete = GateOutcome.of(
                List.of(pass(Criterion.ZERO_LOSS, "0 missing of 3"), unmeasured(Criterion.CONSUMER_UPTIME)));
        Rollout lenient = Fixtures.started(Duration.ZERO, clock.instant());
        Rollout strict = Fixtures.withId(
                RolloutLauncher.draft(Fixtures.plan(Duration.ZERO, true), clock.instant(), "alice"), 13);
        clock.advance(HOLD);

        assertThat(StepMachine.decide(lenient, Optional.empty(), incomplete, clock.instant()))
                .isInstanceOf(Decision.Advance.class);
        Decision d = StepMachine.decide(strict, Optional.empty(), incomplete, clock.instant());
        assertThat(d).isInstanceOf(Decision.RollBack.class);
        assertThat(((Decision.RollBack) d).cause()).contains("consumer uptime not measured (no samples)");
    }

    @Test
    void aRollingBackRolloutDrainsAndAFinishedOneHolds() {
        Rollout r = Fixtures.started(Duration.ZERO, clock.instant()).rollBack("operator abort", clock.instant());
        assertThat(r.percent()).isZero();
        assertThat(StepMachine.decide(r, Optional.empty(), null, clock.instant()))
                .isInstanceOf(Decision.Drain.class);
        Rollout done = r.rolledBack(clock.instant());
        assertThat(StepMachine.decide(done, Optional.empty(), go(), clock.instant()))
                .isInstanceOf(Decision.Hold.class);
        assertThatThrownBy(() -> done.advance(1, clock.instant()))
                .isInstanceOf(IllegalRolloutTransitionException.class)
                .hasMessageContaining("from rolled back to ramping");
    }
}
