package io.celerypgmq.verifier;

import io.celerypgmq.verifier.compare.ComparisonRow;
import io.celerypgmq.verifier.criteria.CriteriaBook;
import io.celerypgmq.verifier.criteria.DeletedOutcomes;
import io.celerypgmq.verifier.criteria.Evaluator;
import io.celerypgmq.verifier.criteria.Gate;
import io.celerypgmq.verifier.criteria.Thresholds;
import io.celerypgmq.verifier.latency.WaitStats;
import io.celerypgmq.verifier.reconcile.CountRow;
import io.celerypgmq.verifier.reconcile.EntryStatus;
import io.celerypgmq.verifier.reconcile.StatusCounts;
import io.celerypgmq.verifier.reconcile.WorksetQueries;
import io.celerypgmq.verifier.report.Coverage;
import io.celerypgmq.verifier.report.QuarantineCount;
import io.celerypgmq.verifier.report.QueueReport;
import io.celerypgmq.verifier.report.Report;
import io.celerypgmq.verifier.report.TaskReport;
import io.celerypgmq.verifier.report.Timeline;
import io.celerypgmq.verifier.uptime.Uptime;
import io.celerypgmq.verifier.uptime.UptimeStats;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/** Puts the measured pieces together per task type and queue, judges the criteria and decides the gate. */
final class ReportAssembly {
    private final Connection c;
    private final CriteriaBook book;
    private final Window window;
    private final Instant now;

    ReportAssembly(Connection c, CriteriaBook book, Window window, Instant now) {
        this.c = c;
        this.book = book;
        this.window = window;
        this.now = now;
    }

    Report assemble(
            TaskGlob filter,
            WorksetQueries q,
            Map<String, Long> toCelery,
            List<QuarantineCount> quarantine,
            Map<String, ComparisonRow> shadow,
            Map<String, DeletedOutcomes> deleted,
            Map<String, Instant> tracked,
            int missingLimit,
            String resultBackend,
            List<String> caveats)
            throws SQLException {
        List<CountRow> rows = q.counts();
        Map<String, WaitStats> waits = q.waits();
        Map<String, StatusCounts> byTask = tally(rows, CountRow::task);
        Map<String, StatusCounts> byQueue = tally(rows, CountRow::queue);
        Map<String, Set<String>> queuesOf = new TreeMap<>();
        rows.forEach(
                r -> queuesOf.computeIfAbsent(r.task(), k -> new TreeSet<>()).add(r.queue()));
        Map<String, UptimeStats> uptimeDefault =
                Uptime.perQueue(c, byQueue.keySet(), window, book.defaults().stall());

        List<TaskReport> tasks = new ArrayList<>();
        Set<String> names = new TreeSet<>(byTask.keySet());
        names.addAll(toCelery.keySet());
        for (String task : names) {
            long celery = toCelery.getOrDefault(task, 0L);
            Thresholds t = book.forTask(task);
            if (!byTask.containsKey(task)) {
                tasks.add(new TaskReport(
                        task,
                        StatusCounts.NONE,
                        celery,
                        List.of(),
                        WaitStats.NONE,
                        UptimeStats.none(t.stall()),
                        null,
                        t,
                        List.of()));
                continue;
            }
            Set<String> queues = queuesOf.get(task);
            Map<String, UptimeStats> perQueue = t.stall().equals(book.defaults().stall())
                    ? uptimeDefault
                    : Uptime.perQueue(c, queues, window, t.stall());
            UptimeStats uptime = Uptime.worst(perQueue, queues, t.stall());
            WaitStats w = waits.getOrDefault(task, WaitStats.NONE);
            ComparisonRow s = shadow.get(task);
            tasks.add(new TaskReport(
                    task,
                    byTask.get(task),
                    celery,
                    List.copyOf(queues),
                    w,
                    uptime,
                    s,
                    t,
                    Evaluator.evaluate(t, byTask.get(task), w, uptime, s, deleted.get(task))));
        }

        List<QueueReport> queues = new ArrayList<>();
        byQueue.forEach((queue, counts) -> queues.add(new QueueReport(
                queue,
                counts,
                uptimeDefault.getOrDefault(
                        queue, UptimeStats.none(book.defaults().stall())),
                tracked.get(queue))));

        StatusCounts totals = byTask.values().stream().reduce(StatusCounts.NONE, StatusCounts::plus);
        long withoutLog =
                totals.missing() == 0 ? 0 : q.missingWithoutLog(VerifierSchema.hasTable(c, "completion_tracking"));
        long samples =
                uptimeDefault.values().stream().mapToLong(UptimeStats::samples).sum();
        Instant first = uptimeDefault.values().stream()
                .map(UptimeStats::first)
                .min(Instant::compareTo)
                .orElse(null);
        Instant last = uptimeDefault.values().stream()
                .map(UptimeStats::last)
                .max(Instant::compareTo)
                .orElse(null);
        addCaveats(caveats, totals, withoutLog, samples);
        byQueue.forEach((queue, counts) -> {
            if (counts.unknown() > 0) {
                caveats.add(counts.unknown() + " entries sent to " + queue + " before its deletes were logged (since "
                        + tracked.get(queue) + ") are nowhere to be found: UNKNOWN, not MISSING, since a consumer"
                        + " may have deleted them before the log existed. Verify from then on (--since "
                        + tracked.get(queue) + ") for a zero-loss verdict.");
            }
        });

        Instant[] range = q.bridgedRange();
        Timeline timeline = TimelineBuilder.build(c, q, window, range[0], byQueue.keySet());
        List<TaskReport> judged = List.copyOf(tasks);
        return new Report(
                now,
                window,
                filter == null ? null : filter.pattern(),
                Gate.of(judged.stream().flatMap(t -> t.criteria().stream()).toList()),
                judged,
                queues,
                totals,
                waits.getOrDefault(WorksetQueries.ALL_TASKS, WaitStats.NONE),
                q.missing(missingLimit),
                quarantine,
                new Coverage(tracked.size(), withoutLog, samples, first, last, resultBackend),
                timeline,
                caveats);
    }

    private static void addCaveats(List<String> caveats, StatusCounts totals, long withoutLog, long samples) {
        if (withoutLog > 0) {
            caveats.add(withoutLog + " of the " + totals.missing() + " missing entries are in queues without a"
                    + " completion log (or were bridged before it started): a consumer that deletes messages instead"
                    + " of archiving them cannot be told apart from loss. Install the log with"
                    + " `celery-pgmq verify --track-deletes`.");
        }
        if (samples == 0 && totals.enqueued() > 0) {
            caveats.add("no `celery-pgmq verify watch` samples in the window: consumer uptime is not measured and the"
                    + " backlog chart is derived from the ledger.");
        }
    }

    static Map<String, StatusCounts> tally(List<CountRow> rows, Function<CountRow, String> key) {
        Map<String, Map<EntryStatus, Long>> counts = new TreeMap<>();
        Map<String, long[]> pending = new TreeMap<>();
        for (CountRow r : rows) {
            String k = key.apply(r);
            counts.computeIfAbsent(k, x -> new EnumMap<>(EntryStatus.class)).merge(r.status(), r.count(), Long::sum);
            long[] p = pending.computeIfAbsent(k, x -> new long[2]);
            if (r.status() == EntryStatus.PENDING) {
                p[0] += r.count() - r.inFlight();
                p[1] += r.inFlight();
            }
        }
        Map<String, StatusCounts> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, new StatusCounts(v, pending.get(k)[0], pending.get(k)[1])));
        return out;
    }
}
