package io.celerypgmq.verifier.report;

import java.util.List;

/**
 * The terminal rendering: aligned columns, PASS/FAIL per criterion and task type. It opens and ends with the gate, so
 * {@code verify > report.txt} and {@code verify | tail -1} keep the verdict.
 */
final class TextReport {
    private TextReport() {}

    static String render(Report r) {
        StringBuilder out = new StringBuilder();
        out.append(Headline.title()).append('\n');
        out.append(Headline.window(r)).append('\n');
        out.append(Headline.totals(r)).append('\n');
        out.append(Headline.gate(r)).append("\n");
        for (Table t : ReportTables.of(r)) {
            out.append('\n')
                    .append(t.title().toUpperCase(java.util.Locale.ROOT))
                    .append('\n');
            if (t.rows().isEmpty()) {
                out.append("  ").append(t.note()).append('\n');
                continue;
            }
            out.append(table(t));
            if (t.id().equals("missing")) {
                out.append("  ").append(t.note()).append('\n');
            }
        }
        if (!r.caveats().isEmpty()) {
            out.append("\nCAVEATS\n");
            r.caveats().forEach(c -> out.append("  - ").append(c).append('\n'));
        }
        out.append('\n').append(Headline.gate(r)).append('\n');
        return out.toString();
    }

    static String table(Table t) {
        int n = t.headers().size();
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            width[i] = t.headers().get(i).length();
            for (List<String> row : t.rows()) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(
                out,
                t.headers().stream()
                        .map(h -> h.toUpperCase(java.util.Locale.ROOT))
                        .toList(),
                width,
                t);
        for (List<String> row : t.rows()) {
            line(out, row, width, t);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] width, Table t) {
        StringBuilder line = new StringBuilder("  ");
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            String pad = " ".repeat(width[i] - cell.length());
            line.append(t.numeric(i) ? pad + cell : cell + pad).append(i + 1 < cells.size() ? "  " : "");
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
