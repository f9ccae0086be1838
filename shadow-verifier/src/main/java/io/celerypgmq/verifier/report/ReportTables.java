package io.celerypgmq.verifier.report;

import static io.celerypgmq.verifier.format.Formats.count;
import static io.celerypgmq.verifier.format.Formats.duration;
import static io.celerypgmq.verifier.format.Formats.percent;
import static io.celerypgmq.verifier.format.Formats.time;

import io.celerypgmq.verifier.compare.ComparisonRow;
import io.celerypgmq.verifier.compare.Mismatch;
import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.latency.WaitStats;
import io.celerypgmq.verifier.reconcile.EntryStatus;
import io.celerypgmq.verifier.reconcile.MissingEntry;
import io.celerypgmq.verifier.reconcile.StatusCounts;
import java.util.ArrayList;
import java.util.List;

/** The report's tables, in reading order; every renderer lays out the same content. */
public final class ReportTables {
    private ReportTables() {}

    public static List<Table> of(Report r) {
        List<Table> out = new ArrayList<>();
        out.add(criteria(r));
        out.add(reconciliation(r));
        out.add(queues(r));
        out.add(waits(r));
        if (r.tasks().stream().anyMatch(t -> t.shadow() != null)) {
            out.add(shadow(r));
            out.add(mismatches(r));
        }
        out.add(missing(r));
        if (!r.quarantine().isEmpty()) {
            out.add(new Table(
                    "quarantine",
                    "Quarantined (never became a ledger entry)",
                    "Undecodable or unmappable messages, kept byte for byte in celery_pgmq.quarantine.",
                    List.of("reason", "messages", "sightings"),
                    r.quarantine().stream()
                            .map(q -> List.of(q.reason(), count(q.messages()), count(q.sightings())))
                            .toList()));
        }
        return out;
    }

    static Table criteria(Report r) {
        List<List<String>> rows = new ArrayList<>();
        for (TaskReport t : r.tasks()) {
            for (CriterionResult c : t.criteria()) {
                rows.add(List.of(
                        t.task(),
                        c.criterion().label(),
                        c.measured(),
                        c.threshold(),
                        c.verdict().label(),
                        c.note()));
            }
        }
        return new Table(
                "criteria",
                "Success criteria",
                "Per task type; the gate is NO-GO when any criterion fails.",
                List.of("task type", "criterion", "measured", "threshold", "verdict", "note"),
                rows);
    }

    static Table reconciliation(Report r) {
        List<List<String>> rows = new ArrayList<>();
        for (TaskReport t : r.tasks()) {
            rows.add(countsRow(t.task(), t.counts(), t.routedToCelery()));
        }
        rows.add(countsRow(
                "(all)",
                r.totals(),
                r.tasks().stream().mapToLong(TaskReport::routedToCelery).sum()));
        return new Table(
                "reconciliation",
                "Reconciliation by identity",
                "Every ledger entry located in pgmq: archive, queue, DLQ, completion log or quarantine.",
                List.of(
                        "task type",
                        "enqueued",
                        "archived",
                        "pending",
                        "in flight",
                        "dead-lettered",
                        "deleted",
                        "quarantined",
                        "expired",
                        "unknown",
                        "missing",
                        "to Celery"),
                rows);
    }

    private static List<String> countsRow(String name, StatusCounts c, long toCelery) {
        return List.of(
                name,
                count(c.enqueued()),
                count(c.of(EntryStatus.ARCHIVED)),
                count(c.pendingVisible()),
                count(c.pendingInFlight()),
                count(c.of(EntryStatus.DEAD_LETTERED)),
                count(c.of(EntryStatus.DELETED)),
                count(c.of(EntryStatus.QUARANTINED)),
                count(c.of(EntryStatus.EXPIRED)),
                count(c.unknown()),
                count(c.missing()),
                count(toCelery));
    }

    static Table queues(Report r) {
        return new Table(
                "queues",
                "Queues",
                "Uptime: share of watch samples in which no visible message had waited the stall threshold.",
                List.of(
                        "queue",
                        "enqueued",
                        "archived",
                        "pending",
                        "dead-lettered",
                        "deleted",
                        "unknown",
                        "missing",
                        "uptime",
                        "samples",
                        "deletes logged since"),
                r.queues().stream()
                        .map(q -> List.of(
                                q.queue(),
                                count(q.counts().enqueued()),
                                count(q.counts().of(EntryStatus.ARCHIVED)),
                                count(q.counts().of(EntryStatus.PENDING)),
                                count(q.counts().of(EntryStatus.DEAD_LETTERED)),
                                count(q.counts().of(EntryStatus.DELETED)),
                                count(q.counts().unknown()),
                                count(q.counts().missing()),
                                q.uptime().isMeasured() ? percent(q.uptime().percent()) : "not measured",
                                count(q.uptime().samples()),
                                q.deletesLoggedSince() == null ? "not logged" : time(q.deletesLoggedSince())))
                        .toList());
    }

    static Table waits(Report r) {
        List<List<String>> rows = new ArrayList<>();
        r.tasks().stream().filter(t -> !t.criteria().isEmpty()).forEach(t -> rows.add(waitRow(t.task(), t.waits())));
        rows.add(waitRow("(all)", r.totalWaits()));
        return new Table(
                "waits",
                "Queue wait (visible → first read, ETA excluded)",
                "Nearest-rank percentiles; unread visible messages count with their wait so far.",
                List.of("task type", "measured", "p50", "p95", "p99", "max", "still waiting", "excluded"),
                rows);
    }

    private static List<String> waitRow(String name, WaitStats w) {
        return List.of(
                name,
                count(w.measured()),
                duration(w.p50()),
                duration(w.p95()),
                duration(w.p99()),
                duration(w.max()),
                count(w.stillWaiting()),
                count(w.excludedRedelivered() + w.excludedUnknown()));
    }

    static Table shadow(Report r) {
        List<List<String>> rows = new ArrayList<>();
        for (TaskReport t : r.tasks()) {
            ComparisonRow s = t.shadow();
            if (s != null) {
                rows.add(List.of(
                        t.task(),
                        count(s.shadowCopies()),
                        count(s.compared()),
                        count(s.matches()),
                        count(s.mismatches()),
                        count(s.noCeleryResult()),
                        count(s.notFinal() + s.unreadable()),
                        s.celeryUnavailable() == null ? "" : "Celery results unreadable: " + s.celeryUnavailable()));
            }
        }
        return new Table(
                "shadow",
                "Dual run: Celery vs PGMQ",
                "SUCCESS ↔ archived/deleted, FAILURE ↔ dead-lettered, REVOKED ↔ expired; no result means none was"
                        + " stored (ignore_result, result_expires), not a guess.",
                List.of(
                        "task type",
                        "shadow copies",
                        "compared",
                        "matches",
                        "mismatches",
                        "no Celery result",
                        "not final",
                        "note"),
                rows);
    }

    static Table mismatches(Report r) {
        List<List<String>> rows = new ArrayList<>();
        for (TaskReport t : r.tasks()) {
            if (t.shadow() != null) {
                for (Mismatch m : t.shadow().examples()) {
                    rows.add(List.of(
                            t.task(),
                            m.taskId(),
                            m.celery().name(),
                            m.pgmq().name(),
                            m.detail() == null ? "" : m.detail()));
                }
            }
        }
        return new Table(
                "mismatches",
                "Mismatch examples",
                "Up to 5 per task type.",
                List.of("task type", "task id", "Celery", "PGMQ", "detail"),
                rows);
    }

    static Table missing(Report r) {
        String note = r.missingTotal() == 0
                ? "None: every ledger entry was found."
                : "Showing " + r.missing().size() + " of " + r.missingTotal() + " missing entries, oldest first.";
        return new Table(
                "missing",
                "Missing messages",
                note,
                List.of("identity", "task type", "task id", "queue", "msg id", "route", "bridged at"),
                r.missing().stream().map(ReportTables::missingRow).toList());
    }

    private static List<String> missingRow(MissingEntry m) {
        return List.of(
                m.identity(),
                m.taskName(),
                m.taskId(),
                m.queue(),
                m.msgId() == null ? "-" : m.msgId().toString(),
                m.route(),
                time(m.bridgedAt()));
    }
}
