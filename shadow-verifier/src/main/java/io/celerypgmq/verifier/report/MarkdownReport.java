package io.celerypgmq.verifier.report;

import java.util.List;

/** The Markdown rendering, for a ticket or a pull request; it opens and ends with the gate. */
final class MarkdownReport {
    private MarkdownReport() {}

    static String render(Report r) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(Headline.title()).append("\n\n");
        out.append("**").append(Headline.gate(r)).append("**\n\n");
        out.append(Headline.window(r)).append("  \n").append(Headline.totals(r)).append("\n");
        for (Table t : ReportTables.of(r)) {
            out.append("\n## ")
                    .append(t.title())
                    .append("\n\n")
                    .append(cell(t.note()))
                    .append("\n\n");
            if (t.rows().isEmpty()) {
                continue;
            }
            row(out, t.headers());
            StringBuilder rule = new StringBuilder("|");
            for (int i = 0; i < t.headers().size(); i++) {
                rule.append(t.numeric(i) ? " ---: |" : " --- |");
            }
            out.append(rule).append('\n');
            t.rows().forEach(cells -> row(out, cells));
        }
        if (!r.caveats().isEmpty()) {
            out.append("\n## Caveats\n\n");
            r.caveats().forEach(c -> out.append("- ").append(cell(c)).append('\n'));
        }
        out.append("\n**").append(Headline.gate(r)).append("**\n");
        return out.toString();
    }

    private static void row(StringBuilder out, List<String> cells) {
        out.append('|');
        cells.forEach(c -> out.append(' ').append(cell(c)).append(" |"));
        out.append('\n');
    }

    private static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;");
    }
}
