package io.celerypgmq.verifier.criteria;

import io.celerypgmq.verifier.compare.ComparisonRow;
import io.celerypgmq.verifier.format.Formats;
import io.celerypgmq.verifier.latency.WaitStats;
import io.celerypgmq.verifier.reconcile.EntryStatus;
import io.celerypgmq.verifier.reconcile.StatusCounts;
import io.celerypgmq.verifier.uptime.UptimeStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Judges one task type's measurements against its thresholds. Pure: no I/O, no clock. */
public final class Evaluator {
    private Evaluator() {}

    /** The task type's results; shadow agreement only where it had shadow copies. */
    public static List<CriterionResult> evaluate(
            Thresholds t, StatusCounts counts, WaitStats waits, UptimeStats uptime, ComparisonRow shadow) {
        return evaluate(t, counts, waits, uptime, shadow, null);
    }

    /**
     * @param deleted what Celery's results say of entries deleted from queues without a DLQ, or {@code null} when
     *     there are none
     */
    public static List<CriterionResult> evaluate(
            Thresholds t,
            StatusCounts counts,
            WaitStats waits,
            UptimeStats uptime,
            ComparisonRow shadow,
            DeletedOutcomes deleted) {
        List<CriterionResult> out = new ArrayList<>();
        out.add(zeroLoss(counts));
        out.add(dlqRate(t, counts, deleted));
        out.add(uptime(t, uptime));
        out.add(p95(t, waits));
        if (shadow != null && shadow.shadowCopies() > 0) {
            out.add(shadow(t, shadow));
        }
        return out;
    }

    static CriterionResult zeroLoss(StatusCounts c) {
        if (c.enqueued() == 0) {
            return unmeasured(Criterion.ZERO_LOSS, "0 missing", "no ledger entries in the window");
        }
        long missing = c.missing();
        if (missing == 0 && c.unknown() > 0) {
            return new CriterionResult(
                    Criterion.ZERO_LOSS,
                    Verdict.NOT_MEASURED,
                    Double.NaN,
                    "0 missing, " + c.unknown() + " unknown of " + c.enqueued(),
                    "0 missing",
                    c.unknown() + " sent before their queue's deletes were logged were not found: deleted then, or"
                            + " lost; verify from when the log started (--since) to measure");
        }
        return new CriterionResult(
                Criterion.ZERO_LOSS,
                missing == 0 ? Verdict.PASS : Verdict.FAIL,
                missing,
                missing + " missing of " + c.enqueued(),
                "0 missing",
                "");
    }

    static CriterionResult dlqRate(Thresholds t, StatusCounts c) {
        return dlqRate(t, c, null);
    }

    /**
     * Dead-lettered share of what was sent. Entries deleted from a queue without a DLQ are failures or successes as
     * Celery's results say; without results for any of them the rate is not measured.
     */
    static CriterionResult dlqRate(Thresholds t, StatusCounts c, DeletedOutcomes deleted) {
        String threshold = "< " + pct(t.maxDlqRatePercent());
        if (c.sent() == 0) {
            return unmeasured(Criterion.DLQ_RATE, threshold, "nothing sent to pgmq in the window");
        }
        long dlq = c.of(EntryStatus.DEAD_LETTERED);
        if (deleted != null && deleted.deleted() > 0) {
            return failureRate(t, c, dlq, deleted, threshold);
        }
        double rate = 100.0 * dlq / c.sent();
        return new CriterionResult(
                Criterion.DLQ_RATE,
                rate < t.maxDlqRatePercent() ? Verdict.PASS : Verdict.FAIL,
                rate,
                pct(rate) + " (" + dlq + " of " + c.sent() + ")",
                threshold,
                "");
    }

    private static CriterionResult failureRate(
            Thresholds t, StatusCounts c, long dlq, DeletedOutcomes d, String threshold) {
        if (d.failed() + d.finished() == 0) {
            return unmeasured(
                    Criterion.DLQ_RATE,
                    threshold,
                    d.deleted() + " of " + c.sent() + " were deleted by their consumer from a queue without a DLQ"
                            + " (Celery on pgmq:// acks and rejects by delete), so failures cannot be told from"
                            + " successes: "
                            + (d.unavailable() != null
                                    ? d.unavailable()
                                    : "Celery's result backend has no result for them"));
        }
        long known = c.sent() - d.unknown();
        long failures = dlq + d.failed();
        double rate = 100.0 * failures / known;
        return new CriterionResult(
                Criterion.DLQ_RATE,
                rate < t.maxDlqRatePercent() ? Verdict.PASS : Verdict.FAIL,
                rate,
                pct(rate) + " (" + failures + " of " + known + ")",
                threshold,
                "Celery results: " + d.failed() + " of " + d.deleted() + " deleted entries failed"
                        + (d.unknown() > 0 ? "; " + d.unknown() + " without a final result left out" : ""));
    }

    static CriterionResult uptime(Thresholds t, UptimeStats u) {
        String threshold = "> " + pct(t.minUptimePercent());
        if (!u.isMeasured()) {
            return unmeasured(
                    Criterion.CONSUMER_UPTIME, threshold, "no `verify watch` samples of its queues in the window");
        }
        double p = u.percent();
        return new CriterionResult(
                Criterion.CONSUMER_UPTIME,
                p > t.minUptimePercent() ? Verdict.PASS : Verdict.FAIL,
                p,
                pct(p) + " (" + u.upSamples() + " of " + u.samples() + " samples)",
                threshold,
                "down = a visible message waiting ≥ " + seconds(t.stall()));
    }

    static CriterionResult p95(Thresholds t, WaitStats w) {
        String threshold = "< " + seconds(t.maxP95Wait());
        if (!w.isMeasured()) {
            return unmeasured(Criterion.QUEUE_WAIT_P95, threshold, "no message with a known queue wait");
        }
        return new CriterionResult(
                Criterion.QUEUE_WAIT_P95,
                w.p95().compareTo(t.maxP95Wait()) < 0 ? Verdict.PASS : Verdict.FAIL,
                w.p95().toMillis() / 1000.0,
                seconds(w.p95()) + " (p50 " + seconds(w.p50()) + ", p99 " + seconds(w.p99()) + ", n=" + w.measured()
                        + ")",
                threshold,
                w.stillWaiting() > 0 ? w.stillWaiting() + " still waiting, counted with their wait so far" : "");
    }

    static CriterionResult shadow(Thresholds t, ComparisonRow r) {
        String threshold = "≤ " + pct(t.maxShadowMismatchPercent()) + " mismatches";
        if (r.celeryUnavailable() != null) {
            return unmeasured(
                    Criterion.SHADOW_AGREEMENT, threshold, "Celery results unreadable: " + r.celeryUnavailable());
        }
        if (r.compared() == 0) {
            return unmeasured(
                    Criterion.SHADOW_AGREEMENT,
                    threshold,
                    r.shadowCopies() + " shadow copies, none with final outcomes on both sides");
        }
        double p = r.mismatchPercent();
        return new CriterionResult(
                Criterion.SHADOW_AGREEMENT,
                p <= t.maxShadowMismatchPercent() ? Verdict.PASS : Verdict.FAIL,
                p,
                r.mismatches() + " mismatches of " + r.compared() + " compared",
                threshold,
                r.noCeleryResult() > 0 ? r.noCeleryResult() + " without a Celery result" : "");
    }

    private static CriterionResult unmeasured(Criterion c, String threshold, String why) {
        return new CriterionResult(c, Verdict.NOT_MEASURED, Double.NaN, "not measured", threshold, why);
    }

    private static String pct(double value) {
        return Formats.percent(value);
    }

    private static String seconds(Duration d) {
        return Formats.duration(d);
    }
}
