package io.celerypgmq.rollout;

import io.celerypgmq.rollout.gate.Breach;
import io.celerypgmq.rollout.gate.GateOutcome;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides a rollout's next move from what was observed, with the time given: a breach rolls back at once (paused or
 * not); a paused rollout holds; a hold whose gate is due moves on at GO (shadow → the first share, a share → the
 * next, the last share → completed) and rolls back at NO-GO. Pure: no store, no clock of its own.
 */
public final class StepMachine {
    private StepMachine() {}

    /** Whether the hold is over and the gate must be judged now. */
    public static boolean gateDue(Rollout r, Instant now) {
        return (r.state() == RolloutState.SHADOWING || r.state() == RolloutState.RAMPING)
                && r.gateAt() != null
                && !now.isBefore(r.gateAt());
    }

    /**
     * @param breach what the check during the hold found, if anything
     * @param gate the gate's verdict; required when {@link #gateDue}, ignored otherwise
     */
    public static Decision decide(Rollout r, Optional<Breach> breach, GateOutcome gate, Instant now) {
        if (r.state().finished()) {
            return new Decision.Hold();
        }
        if (r.state() == RolloutState.ROLLING_BACK) {
            return new Decision.Drain();
        }
        if (breach.isPresent()) {
            return new Decision.RollBack(breach.get().describe() + " at step " + r.stepText());
        }
        if (!gateDue(r, now)) {
            return new Decision.Hold();
        }
        if (gate == null) {
            throw new IllegalArgumentException("the gate of rollout #" + r.id() + " is due: judge it first");
        }
        if (!gate.passes(r.plan().strict())) {
            return new Decision.RollBack("NO-GO at the gate of step " + r.stepText() + ": "
                    + gate.cause(r.plan().strict()));
        }
        return r.lastStep() ? new Decision.Complete(gate) : new Decision.Advance(r.stepIndex() + 1, gate);
    }
}
