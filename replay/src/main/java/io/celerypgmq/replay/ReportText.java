package io.celerypgmq.replay;

import java.util.Locale;
import java.util.Map;

/** The report as people read it at the end of a run. */
final class ReportText {
    private ReportText() {}

    static String render(ReplayReport r) {
        boolean dry = r.state() == JobState.DRY_RUN;
        StringBuilder s = new StringBuilder();
        s.append("replay ").append(r.kind().label());
        if (r.jobId() != null) {
            s.append(", job ").append(r.jobId());
        }
        s.append(": ").append(dry ? "DRY RUN, nothing was changed" : r.state().label());
        s.append(String.format(Locale.ROOT, " in %.1f s", r.elapsedMillis() / 1000.0));
        if (!dry && r.moved() > 0) {
            s.append(String.format(Locale.ROOT, " (%.0f msg/s)", r.rate()));
        }
        s.append('\n');
        line(s, dry ? "would move" : "moved", r.moved(), r.jobTotal() == null ? "" : "job total " + r.jobTotal());
        line(s, dry ? "already moved" : "duplicates", r.duplicates(), "already handed over, not sent again");
        line(s, dry ? "would quarantine" : "quarantined", r.quarantined(), "kept in celery_pgmq.quarantine");
        if (r.expired() > 0) {
            line(s, "expired", r.expired(), "recorded in the ledger instead of sent");
        }
        if (r.resumed() > 0) {
            line(s, "resumed", r.resumed(), "redone from an interrupted run");
        }
        if (r.returned() > 0) {
            line(s, "came back", r.returned(), "from a rollback, sent again under a new delivery tag");
        }
        if (r.delayed() > 0 || r.pastEta() > 0) {
            line(s, "future eta", r.delayed(), "sent as a pgmq delay");
            line(s, "past eta", r.pastEta(), "visible at once");
        }
        section(s, "per task type", r.byTask());
        section(s, "per source", r.bySource());
        section(s, "per destination", r.byDestination());
        section(s, dry ? "would quarantine, by reason" : "quarantined, by reason", r.failures());
        section(s, "left behind (needs attention)", r.left());
        section(s, "skipped by the job's filters", r.skipped());
        if (!r.notes().isEmpty()) {
            s.append("notes:\n");
            r.notes().forEach(n -> s.append("  - ").append(n).append('\n'));
        }
        return s.toString();
    }

    private static void line(StringBuilder s, String label, long n, String note) {
        s.append(String.format(Locale.ROOT, "  %-17s %10d", label, n));
        if (!note.isEmpty()) {
            s.append("   ").append(note);
        }
        s.append('\n');
    }

    private static void section(StringBuilder s, String title, Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return;
        }
        s.append(title).append(":\n");
        int width = Math.max(
                20, counts.keySet().stream().mapToInt(String::length).max().orElse(0));
        counts.forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %-" + width + "s %10d%n", k, v)));
    }
}
