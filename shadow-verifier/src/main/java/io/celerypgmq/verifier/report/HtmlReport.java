package io.celerypgmq.verifier.report;

import io.celerypgmq.verifier.criteria.Verdict;
import io.celerypgmq.verifier.format.Formats;
import io.celerypgmq.verifier.latency.WaitHistogram;
import io.celerypgmq.verifier.reconcile.EntryStatus;
import io.celerypgmq.verifier.reconcile.StatusCounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One self-contained HTML file: the gate, the criteria, inline SVG charts (queue-wait histogram, throughput, backlog,
 * outcomes per task type) and every table. No scripts, fonts or styles from anywhere else.
 */
final class HtmlReport {
    private static final String STYLE = "body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1200px;"
            + "color:#1f2328;padding:0 16px}h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 6px}"
            + ".muted{color:#59636e}.gate{padding:14px 18px;border-radius:8px;font-size:20px;font-weight:700;"
            + "margin:16px 0}.GO{background:#dafbe1;color:#116329}.NO_GO{background:#ffebe9;color:#a40e26}"
            + ".INCOMPLETE{background:#fff8c5;color:#7d4e00}table{border-collapse:collapse;width:100%;margin:6px 0}"
            + "th,td{border-bottom:1px solid #d1d9e0;padding:4px 8px;text-align:left;vertical-align:top}"
            + "th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}"
            + "td.PASS{color:#116329;font-weight:700}td.FAIL{color:#a40e26;font-weight:700}"
            + "td.NOT_MEASURED{color:#7d4e00;font-weight:700}.charts{display:grid;grid-template-columns:1fr;"
            + "gap:16px}.card{border:1px solid #d1d9e0;border-radius:8px;padding:8px 12px}"
            + "svg .grid{stroke:#e6e9ec}svg .tick,svg .legend,svg .label{font-size:12px;fill:#59636e}"
            + "svg .empty{font-size:16px;fill:#8c959f}ul.caveats li{margin:4px 0}";
    private static final List<EntryStatus> PARTS = List.of(
            EntryStatus.ARCHIVED,
            EntryStatus.DELETED,
            EntryStatus.PENDING,
            EntryStatus.DEAD_LETTERED,
            EntryStatus.EXPIRED,
            EntryStatus.QUARANTINED,
            EntryStatus.UNKNOWN,
            EntryStatus.MISSING);
    private static final List<String> PART_COLORS =
            List.of("#2da44e", "#8fd19e", "#54aeff", "#cf222e", "#bf8700", "#8250df", "#afb8c1", "#1f2328");

    private HtmlReport() {}

    static String render(Report r) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>")
                .append(Html.escape(Headline.title() + " — " + r.gate().label()))
                .append("</title><style>")
                .append(STYLE)
                .append("</style></head><body>");
        h.append("<h1>").append(Html.escape(Headline.title())).append("</h1>");
        h.append("<div class=\"muted\">")
                .append(Html.escape(Headline.window(r)))
                .append("<br>");
        h.append(Html.escape(Headline.totals(r))).append("</div>");
        h.append("<div id=\"gate\" class=\"gate ")
                .append(r.gate().name())
                .append("\" data-gate=\"")
                .append(r.gate().name())
                .append("\">")
                .append(Html.escape(Headline.gate(r)))
                .append("</div>");
        charts(h, r);
        for (Table t : ReportTables.of(r)) {
            table(h, t);
        }
        if (!r.caveats().isEmpty()) {
            h.append("<h2>Caveats</h2><ul class=\"caveats\">");
            r.caveats().forEach(c -> h.append("<li>").append(Html.escape(c)).append("</li>"));
            h.append("</ul>");
        }
        return h.append("</body></html>\n").toString();
    }

    private static void charts(StringBuilder h, Report r) {
        Timeline t = r.timeline();
        List<String> times = new ArrayList<>();
        for (int i = 0; i < t.buckets(); i++) {
            times.add(label(t, i));
        }
        h.append("<div class=\"charts\">");
        card(
                h,
                "Queue wait (all task types)",
                "visible → first read, ETA excluded; n = " + r.totalWaits().measured() + ", p95 = "
                        + Formats.duration(r.totalWaits().p95()),
                SvgChart.bars(
                        "chart-latency", WaitHistogram.labels(), r.totalWaits().histogram(), "#0969da"));
        card(
                h,
                "Outcomes per task type",
                "where each ledger entry is now",
                SvgChart.stacked(
                        "chart-outcomes",
                        outcomeRows(r),
                        PARTS.stream().map(HtmlReport::part).toList(),
                        PART_COLORS,
                        outcomeValues(r)));
        card(
                h,
                "Throughput per " + Formats.duration(t.step()),
                "sent to pgmq, completed, dead-lettered",
                SvgChart.lines(
                        "chart-throughput",
                        times,
                        List.of(
                                new SvgChart.Series("sent to pgmq", "#0969da", t.enqueued()),
                                new SvgChart.Series("completed", "#2da44e", t.completed()),
                                new SvgChart.Series("dead-lettered", "#cf222e", t.deadLettered()))));
        card(
                h,
                "Backlog",
                t.backlogSampled()
                        ? "messages in the queues, from verify watch samples"
                        : "derived from the ledger (sent minus finished): no watch samples",
                SvgChart.lines(
                        "chart-backlog", times, List.of(new SvgChart.Series("backlog", "#8250df", t.backlog()))));
        h.append("</div>");
    }

    private static void card(StringBuilder h, String title, String note, String svg) {
        h.append("<div class=\"card\"><h2>")
                .append(Html.escape(title))
                .append("</h2><div class=\"muted\">")
                .append(Html.escape(note))
                .append("</div>")
                .append(svg)
                .append("</div>");
    }

    private static List<String> outcomeRows(Report r) {
        return r.tasks().stream()
                .filter(t -> t.counts().enqueued() > 0)
                .map(TaskReport::task)
                .toList();
    }

    private static List<List<Long>> outcomeValues(Report r) {
        List<List<Long>> out = new ArrayList<>();
        for (TaskReport t : r.tasks()) {
            StatusCounts c = t.counts();
            if (c.enqueued() > 0) {
                out.add(PARTS.stream().map(c::of).toList());
            }
        }
        return out;
    }

    private static String part(EntryStatus s) {
        return s.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static String label(Timeline t, int i) {
        String time = Formats.time(t.bucketStart(i));
        return t.step().compareTo(Duration.ofDays(1)) >= 0 ? time.substring(0, 10) : time.substring(5, 16);
    }

    private static void table(StringBuilder h, Table t) {
        h.append("<h2 id=\"")
                .append(t.id())
                .append("\">")
                .append(Html.escape(t.title()))
                .append("</h2>");
        h.append("<div class=\"muted\">").append(Html.escape(t.note())).append("</div>");
        if (t.rows().isEmpty()) {
            return;
        }
        h.append("<table data-table=\"").append(t.id()).append("\"><thead><tr>");
        t.headers().forEach(c -> h.append("<th>").append(Html.escape(c)).append("</th>"));
        h.append("</tr></thead><tbody>");
        for (List<String> row : t.rows()) {
            h.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                String cls = t.numeric(i) ? "num" : verdictClass(cell);
                h.append(cls.isEmpty() ? "<td>" : "<td class=\"" + cls + "\">")
                        .append(Html.escape(cell))
                        .append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</tbody></table>");
    }

    private static String verdictClass(String cell) {
        for (Verdict v : Verdict.values()) {
            if (v.label().equals(cell)) {
                return v.name();
            }
        }
        return "";
    }
}
