package io.celerypgmq.rollout.gate;

import io.celerypgmq.verifier.criteria.Criterion;
import java.util.Objects;

/** Something that may not wait for the gate: a criterion already lost during the hold, with what was measured. */
public record Breach(Criterion criterion, String measurement) {
    public Breach {
        Objects.requireNonNull(criterion, "criterion");
        Objects.requireNonNull(measurement, "measurement");
    }

    /** e.g. {@code breach during the hold: DLQ rate 12.50 % (5 of 40) (threshold < 1 %)}. */
    public String describe() {
        return "breach during the hold: " + criterion.label() + " " + measurement;
    }
}
