package io.celerypgmq.verifier.compare;

import java.util.List;
import java.util.Map;

/**
 * Dual-run outcomes of one task type: shadow copies whose Celery result and PGMQ fate are both final are compared;
 * the rest are counted by why they could not be.
 *
 * @param noCeleryResult no result document: {@code ignore_result}, expired results, or not run yet
 * @param unreadable a result document that could not be read
 * @param notFinal Celery or PGMQ still working on it (RETRY/STARTED, or pending in pgmq)
 * @param pairs how often each "celery state → pgmq status" pair occurred, for the report
 * @param examples up to a few mismatches
 * @param celeryUnavailable why Celery's results could not be read at all, or {@code null} when they were
 */
public record ComparisonRow(
        String task,
        long shadowCopies,
        long compared,
        long matches,
        long mismatches,
        long noCeleryResult,
        long unreadable,
        long notFinal,
        Map<String, Long> pairs,
        List<Mismatch> examples,
        String celeryUnavailable) {

    public ComparisonRow {
        pairs = Map.copyOf(pairs);
        examples = List.copyOf(examples);
    }

    /** Mismatches as a percentage of compared tasks; {@code NaN} when none could be compared. */
    public double mismatchPercent() {
        return compared == 0 ? Double.NaN : 100.0 * mismatches / compared;
    }
}
