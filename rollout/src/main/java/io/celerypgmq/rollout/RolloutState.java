package io.celerypgmq.rollout;

import java.util.Locale;

/** Where a rollout stands. The moves between states are in {@link RolloutTransitions}. */
public enum RolloutState {
    /** Holding in shadow: Celery runs everything, pgmq gets copies, until the shadow gate. */
    SHADOWING,
    /** Holding at a pgmq share, until the step's gate. */
    RAMPING,
    /** An operator stopped the step clock; breach checks go on. */
    PAUSED,
    /** Routed back to Celery; what waits in pgmq for the task type is being moved back. */
    ROLLING_BACK,
    /** Done: back on Celery, nothing of the task type left in pgmq. */
    ROLLED_BACK,
    /** Done: at 100 % and the last gate passed. */
    COMPLETED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** How people read it: {@code rolling back}. */
    public String words() {
        return label().replace('_', ' ');
    }

    public static RolloutState parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown rollout state '" + text + "'");
        }
    }

    public boolean finished() {
        return this == ROLLED_BACK || this == COMPLETED;
    }

    /** Holding a route at a step (shadow or a share), paused or not: breaches are watched for. */
    public boolean holding() {
        return this == SHADOWING || this == RAMPING || this == PAUSED;
    }
}
