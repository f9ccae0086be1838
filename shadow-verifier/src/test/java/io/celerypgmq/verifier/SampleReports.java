package io.celerypgmq.verifier;

import io.celerypgmq.verifier.compare.CeleryState;
import io.celerypgmq.verifier.compare.ComparisonRow;
import io.celerypgmq.verifier.compare.Mismatch;
import io.celerypgmq.verifier.criteria.Evaluator;
import io.celerypgmq.verifier.criteria.Gate;
import io.celerypgmq.verifier.criteria.Thresholds;
import io.celerypgmq.verifier.latency.WaitHistogram;
import io.celerypgmq.verifier.latency.WaitStats;
import io.celerypgmq.verifier.reconcile.EntryStatus;
import io.celerypgmq.verifier.reconcile.MissingEntry;
import io.celerypgmq.verifier.reconcile.StatusCounts;
import io.celerypgmq.verifier.report.Coverage;
import io.celerypgmq.verifier.report.QueueReport;
import io.celerypgmq.verifier.report.Report;
import io.celerypgmq.verifier.report.TaskReport;
import io.celerypgmq.verifier.report.Timeline;
import io.celerypgmq.verifier.uptime.UptimeStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reports built by hand, for renderer and metrics tests that need no database. */
final class SampleReports {
    static final Instant NOW = Instant.parse("2031-01-01T12:00:00Z");

    private SampleReports() {}

    /** send_welcome_email passes everything; "a|b<c>" loses one message and mismatches once on the shadow side. */
    static Report mixed() {
        StatusCounts good = new StatusCounts(
                Map.of(EntryStatus.ARCHIVED, 990L, EntryStatus.DEAD_LETTERED, 2L, EntryStatus.PENDING, 8L), 5, 3);
        StatusCounts bad = new StatusCounts(Map.of(EntryStatus.ARCHIVED, 9L, EntryStatus.MISSING, 1L), 0, 0);
        WaitStats fast = new WaitStats(
                998,
                5,
                0,
                2,
                Duration.ofMillis(120),
                Duration.ofMillis(800),
                Duration.ofMillis(1500),
                Duration.ofSeconds(3),
                List.of(10L, 400L, 300L, 200L, 80L, 8L, 0L, 0L, 0L, 0L, 0L));
        UptimeStats up = new UptimeStats(2000, 2000, Duration.ofSeconds(30), NOW.minusSeconds(20_000), NOW, 2.0);
        ComparisonRow shadow = new ComparisonRow(
                "a|b<c>",
                10,
                9,
                8,
                1,
                1,
                0,
                0,
                Map.of("SUCCESS → ARCHIVED", 8L),
                List.of(new Mismatch("t-9", "id-9", CeleryState.SUCCESS, EntryStatus.DEAD_LETTERED, "KeyError | x")),
                null);
        TaskReport t1 = new TaskReport(
                "send_welcome_email",
                good,
                40,
                List.of("user_tasks"),
                fast,
                up,
                null,
                Thresholds.DEFAULTS,
                Evaluator.evaluate(Thresholds.DEFAULTS, good, fast, up, null));
        TaskReport t2 = new TaskReport(
                "a|b<c>",
                bad,
                0,
                List.of("odd_q"),
                WaitStats.NONE,
                UptimeStats.none(Duration.ofSeconds(30)),
                shadow,
                Thresholds.DEFAULTS,
                Evaluator.evaluate(
                        Thresholds.DEFAULTS, bad, WaitStats.NONE, UptimeStats.none(Duration.ofSeconds(30)), shadow));
        List<TaskReport> tasks = List.of(t2, t1);
        return new Report(
                NOW,
                new Window(null, NOW),
                null,
                Gate.of(tasks.stream().flatMap(t -> t.criteria().stream()).toList()),
                tasks,
                List.of(
                        new QueueReport("user_tasks", good, up, NOW.minusSeconds(86_400)),
                        new QueueReport("odd_q", bad, UptimeStats.none(Duration.ofSeconds(30)), null)),
                good.plus(bad),
                fast,
                List.of(new MissingEntry("id-lost", "a|b<c>", "t-lost", "odd_q", 77L, "pgmq", NOW.minusSeconds(60))),
                List.of(),
                new Coverage(1, 1, 2000, NOW.minusSeconds(20_000), NOW, "redis://127.0.0.1:6379/1"),
                new Timeline(
                        NOW.minusSeconds(180),
                        Duration.ofMinutes(1),
                        List.of(3L, 5L, 2L),
                        List.of(2L, 5L, 3L),
                        List.of(0L, 1L, 0L),
                        List.of(1L, 1L, 0L),
                        false),
                List.of("a caveat | with a pipe"));
    }

    static List<Long> emptyHistogram() {
        return WaitHistogram.empty();
    }
}
