package io.celerypgmq.verifier.criteria;

import java.util.Objects;

/**
 * One criterion judged for one task type.
 *
 * @param value the measured number (percent, seconds or a count; {@code NaN} when not measured), for gauges
 * @param measured the measurement as a person reads it, e.g. {@code 0.42 % (3 of 712)}
 * @param threshold what passes, e.g. {@code < 1 %}
 */
public record CriterionResult(
        Criterion criterion, Verdict verdict, double value, String measured, String threshold, String note) {

    public CriterionResult {
        Objects.requireNonNull(criterion, "criterion");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(measured, "measured");
        Objects.requireNonNull(threshold, "threshold");
        note = note == null ? "" : note;
    }
}
