package io.celerypgmq.rollout;

import java.time.Instant;

/**
 * One thing that happened to a rollout: a step, a gate verdict, a pause, a breach, a rollback pass.
 *
 * @param from the state before, {@code null} for the start
 * @param epoch the lease epoch of the driver that acted, {@code null} for an operator
 */
public record RolloutEvent(
        long id,
        long rolloutId,
        Instant at,
        RolloutState from,
        RolloutState to,
        String step,
        String detail,
        String actor,
        Long epoch) {}
