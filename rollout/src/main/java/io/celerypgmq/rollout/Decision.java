package io.celerypgmq.rollout;

import io.celerypgmq.rollout.gate.GateOutcome;

/** What the step machine says to do with a rollout now. */
public sealed interface Decision {
    /** Keep holding (or nothing to do). */
    record Hold() implements Decision {}

    /** The gate passed: move to step {@code index}. */
    record Advance(int index, GateOutcome gate) implements Decision {}

    /** The last gate passed: the task type stays at 100 % and the rollout is done. */
    record Complete(GateOutcome gate) implements Decision {}

    /** A NO-GO or a breach: route back to Celery and drain, for {@code cause}. */
    record RollBack(String cause) implements Decision {}

    /** Rolling back: move what waits in pgmq back to Celery, and finish once nothing is left. */
    record Drain() implements Decision {}
}
