package io.celerypgmq.rollout;

import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One rollout as stored: its plan and where it stands. Immutable; each move returns the next value after checking it
 * against {@link RolloutTransitions}, and the store writes it (with the route change it implies) only if nobody moved
 * the rollout since it was read ({@code version}).
 *
 * @param stepIndex index into the plan's steps; {@code -1} for the shadow phase
 * @param stepStartedAt start of the window the step's gate judges
 * @param gateAt when the hold ends; {@code null} while paused, rolling back or finished
 * @param pausedFrom the state a pause returns to
 * @param holdLeft what was left of the hold when paused
 * @param cause why it rolled back: the failing criterion and its measurement, or the operator's reason
 * @param drained messages the rollback moved back to Celery so far
 */
public record Rollout(
        long id,
        RolloutPlan plan,
        RolloutState state,
        int stepIndex,
        Instant stepStartedAt,
        Instant gateAt,
        RolloutState pausedFrom,
        Duration holdLeft,
        Instant startedAt,
        Instant rollbackAt,
        String cause,
        long drained,
        long version,
        String startedBy,
        Instant finishedAt) {

    public Rollout {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(stepStartedAt, "stepStartedAt");
        Objects.requireNonNull(startedAt, "startedAt");
        if (stepIndex < -1 || stepIndex >= plan.steps().size()) {
            throw new IllegalArgumentException("step index " + stepIndex + " is outside the plan " + plan.steps());
        }
    }

    /** The pgmq share the task type is at: 0 in shadow (copies only) and once rolled back. */
    public int percent() {
        return stepIndex < 0 || state == RolloutState.ROLLING_BACK || state == RolloutState.ROLLED_BACK
                ? 0
                : plan.steps().get(stepIndex);
    }

    /** {@code shadow} or {@code 3/5 (25 %)}. */
    public String stepText() {
        return stepIndex < 0
                ? "shadow"
                : (stepIndex + 1) + "/" + plan.steps().size() + " ("
                        + plan.steps().get(stepIndex) + " %)";
    }

    public boolean lastStep() {
        return stepIndex == plan.steps().size() - 1;
    }

    /** Whether messages ever went to the plan's queue (a share was reached), so a rollback has something to drain. */
    public boolean reachedPgmq() {
        return stepIndex >= 0;
    }

    /** The route of step {@code index} ({@code -1}: shadow). */
    public Route routeOf(int index) {
        return index < 0
                ? new Route(plan.task(), RouteMode.SHADOW, 100, plan.shadowQueue(), plan.format())
                : new Route(plan.task(), RouteMode.PGMQ, plan.steps().get(index), plan.queue(), plan.format());
    }

    public Rollout advance(int index, Instant now) {
        RolloutTransitions.check(id, state, RolloutState.RAMPING);
        return new Rollout(
                id,
                plan,
                RolloutState.RAMPING,
                index,
                now,
                now.plus(plan.hold()),
                null,
                null,
                startedAt,
                null,
                null,
                drained,
                version,
                startedBy,
                null);
    }

    public Rollout complete(Instant now) {
        RolloutTransitions.check(id, state, RolloutState.COMPLETED);
        return to(RolloutState.COMPLETED, null, null, null, null, null, now);
    }

    public Rollout rollBack(String why, Instant now) {
        RolloutTransitions.check(id, state, RolloutState.ROLLING_BACK);
        return to(RolloutState.ROLLING_BACK, null, null, null, now, why, null);
    }

    public Rollout rolledBack(Instant now) {
        RolloutTransitions.check(id, state, RolloutState.ROLLED_BACK);
        return to(RolloutState.ROLLED_BACK, null, null, null, rollbackAt, cause, now);
    }

    public Rollout pause(Instant now) {
        RolloutTransitions.check(id, state, RolloutState.PAUSED);
        Duration left = gateAt == null || gateAt.isBefore(now) ? Duration.ZERO : Duration.between(now, gateAt);
        return to(RolloutState.PAUSED, null, state, left, null, null, null);
    }

    public Rollout resume(Instant now) {
        RolloutState back = pausedFrom == null ? RolloutState.RAMPING : pausedFrom;
        if (state != RolloutState.PAUSED) {
            throw new IllegalRolloutTransitionException(
                    id, state, back, "it is not paused, so there is nothing to resume");
        }
        RolloutTransitions.check(id, state, back);
        Duration left = holdLeft == null ? Duration.ZERO : holdLeft;
        return to(back, now.plus(left), null, null, null, null, null);
    }

    public Rollout withDrained(long total) {
        return new Rollout(
                id,
                plan,
                state,
                stepIndex,
                stepStartedAt,
                gateAt,
                pausedFrom,
                holdLeft,
                startedAt,
                rollbackAt,
                cause,
                total,
                version,
                startedBy,
                finishedAt);
    }

    /** This rollout at the same step, moved to {@code next} with the given clock and cause fields. */
    private Rollout to(
            RolloutState next,
            Instant gate,
            RolloutState from,
            Duration left,
            Instant rollback,
            String why,
            Instant finished) {
        return new Rollout(
                id,
                plan,
                next,
                stepIndex,
                stepStartedAt,
                gate,
                from,
                left,
                startedAt,
                rollback,
                why,
                drained,
                version,
                startedBy,
                finished);
    }
}
