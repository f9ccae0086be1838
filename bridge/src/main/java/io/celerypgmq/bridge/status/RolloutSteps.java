package io.celerypgmq.bridge.status;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Where the status finds each task type's running rollout, if any. The rollout module provides it; the bridge only
 * shows what it is given, so the status works (without rollout columns) where no rollout was ever started.
 */
@FunctionalInterface
public interface RolloutSteps {

    /**
     * A task type's rollout as the status line shows it.
     *
     * @param phase e.g. {@code ramping}, {@code paused}, {@code rolling back}
     * @param step e.g. {@code 3/5 (25 %)} or {@code shadow}
     * @param percent the pgmq share the rollout holds the task type at now (0 in shadow and after a rollback)
     * @param nextGateAt when the current hold ends and the gate is judged; {@code null} when no gate is pending
     */
    record Step(long rolloutId, String task, String phase, String step, int percent, Instant nextGateAt) {
        public Step {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(step, "step");
        }
    }

    /** The running (not finished) rollouts, by task name. */
    Map<String, Step> current();

    static RolloutSteps none() {
        return Map::of;
    }
}
