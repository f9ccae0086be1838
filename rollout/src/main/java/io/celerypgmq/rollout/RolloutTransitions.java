package io.celerypgmq.rollout;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The explicit transition table of a rollout. A hold moves to the next step (shadow → ramping, ramping → ramping at a
 * higher share) or to completed on a GO, to rolling back on a NO-GO or a breach, and to paused and back at an
 * operator's word; rolling back ends in rolled back. Finished rollouts never move again: start a new one.
 */
public final class RolloutTransitions {
    private static final Map<RolloutState, Set<RolloutState>> ALLOWED = Map.of(
            RolloutState.SHADOWING, EnumSet.of(RolloutState.RAMPING, RolloutState.PAUSED, RolloutState.ROLLING_BACK),
            RolloutState.RAMPING,
                    EnumSet.of(
                            RolloutState.RAMPING,
                            RolloutState.COMPLETED,
                            RolloutState.PAUSED,
                            RolloutState.ROLLING_BACK),
            RolloutState.PAUSED, EnumSet.of(RolloutState.SHADOWING, RolloutState.RAMPING, RolloutState.ROLLING_BACK),
            RolloutState.ROLLING_BACK, EnumSet.of(RolloutState.ROLLED_BACK),
            RolloutState.ROLLED_BACK, EnumSet.noneOf(RolloutState.class),
            RolloutState.COMPLETED, EnumSet.noneOf(RolloutState.class));

    private RolloutTransitions() {}

    public static boolean allowed(RolloutState from, RolloutState to) {
        return ALLOWED.get(from).contains(to);
    }

    /** @throws IllegalRolloutTransitionException naming both states when the move is not in the table */
    public static void check(long rolloutId, RolloutState from, RolloutState to) {
        if (!allowed(from, to)) {
            throw new IllegalRolloutTransitionException(rolloutId, from, to);
        }
    }
}
