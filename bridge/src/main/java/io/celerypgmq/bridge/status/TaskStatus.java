package io.celerypgmq.bridge.status;

import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteState;
import java.util.Objects;

/**
 * One task type's line of {@code celery-pgmq status}: where it is routed, how fast messages go into each side, how
 * many wait there and for how long, and its rollout.
 *
 * @param rollout the running rollout, or {@code null}
 */
public record TaskStatus(
        String task, Route route, RouteState state, Side celery, Side pgmq, RolloutSteps.Step rollout) {

    /**
     * One side (Celery's Redis, or pgmq) of a task type.
     *
     * @param ratePerSecond messages per second the bridge sent into this side lately
     * @param backlog messages waiting there ({@code -1}: not counted)
     * @param lagSeconds how long the oldest waiting message has waited, {@code null} when none waits or unknown
     * @param lagLowerBound the oldest message was already there when counting began: it waited at least this long
     */
    public record Side(double ratePerSecond, long backlog, Double lagSeconds, boolean lagLowerBound) {
        public static final Side UNKNOWN = new Side(0, -1, null, false);
    }

    public TaskStatus {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(celery, "celery");
        Objects.requireNonNull(pgmq, "pgmq");
    }
}
