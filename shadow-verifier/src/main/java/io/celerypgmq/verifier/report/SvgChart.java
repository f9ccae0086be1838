package io.celerypgmq.verifier.report;

import java.util.List;
import java.util.Locale;

/**
 * Small inline SVG charts drawn here, so the HTML report is one file that needs nothing from the network. Every mark
 * carries its number in a {@code data-value} attribute and a {@code <title>} tooltip.
 */
final class SvgChart {
    static final int WIDTH = 960;
    static final int HEIGHT = 280;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 16;
    private static final int BOTTOM = 56;

    /** One line of a line chart. */
    record Series(String name, String color, List<Long> values) {}

    private SvgChart() {}

    /** Vertical bars, one per label. */
    static String bars(String id, List<String> labels, List<Long> values, String color) {
        StringBuilder svg = open(id);
        long max = niceMax(values.stream().mapToLong(Long::longValue).max().orElse(0));
        yAxis(svg, max);
        double slot = plotWidth() / (double) Math.max(1, values.size());
        for (int i = 0; i < values.size(); i++) {
            double h = plotHeight() * values.get(i) / (double) max;
            double x = LEFT + i * slot + slot * 0.1;
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"bar\" data-label=\"%s\" data-value=\"%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
                            + " height=\"%.1f\" fill=\"%s\"><title>%s: %d</title></rect>",
                    Html.escape(labels.get(i)),
                    values.get(i),
                    x,
                    TOP + plotHeight() - h,
                    slot * 0.8,
                    h,
                    color,
                    Html.escape(labels.get(i)),
                    values.get(i)));
            xLabel(svg, LEFT + i * slot + slot / 2, labels.get(i));
        }
        return close(svg, values.isEmpty());
    }

    /** Lines over time buckets; {@code xLabels} are shown sparsely. */
    static String lines(String id, List<String> xLabels, List<Series> series) {
        StringBuilder svg = open(id);
        long top = series.stream()
                .flatMap(s -> s.values().stream())
                .mapToLong(Long::longValue)
                .max()
                .orElse(0);
        long max = niceMax(top);
        yAxis(svg, max);
        int n = xLabels.size();
        double dx = n > 1 ? plotWidth() / (double) (n - 1) : 0;
        int every = Math.max(1, n / 8);
        for (int i = 0; i < n; i += every) {
            xLabel(svg, LEFT + i * dx, xLabels.get(i));
        }
        int legend = 0;
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            StringBuilder data = new StringBuilder();
            for (int i = 0; i < s.values().size(); i++) {
                double y = TOP + plotHeight() - plotHeight() * s.values().get(i) / (double) max;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + i * dx, y));
                data.append(i == 0 ? "" : ",").append(s.values().get(i));
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<polyline class=\"series\" data-series=\"%s\" data-values=\"%s\" points=\"%s\" fill=\"none\""
                            + " stroke=\"%s\" stroke-width=\"2\"><title>%s</title></polyline>",
                    Html.escape(s.name()),
                    data,
                    points.toString().trim(),
                    s.color(),
                    Html.escape(s.name())));
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\""
                            + " class=\"legend\">%s</text>",
                    LEFT + 10 + legend * 170,
                    HEIGHT - 18,
                    s.color(),
                    LEFT + 28 + legend * 170,
                    HEIGHT - 8,
                    Html.escape(s.name())));
            legend++;
        }
        return close(svg, n == 0);
    }

    /** Horizontal stacked bars, one row per label, each part a share of the row's total. */
    static String stacked(
            String id, List<String> rows, List<String> parts, List<String> colors, List<List<Long>> values) {
        int rowHeight = 26;
        int height = TOP + rows.size() * rowHeight + 40;
        StringBuilder svg = new StringBuilder(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" class=\"chart\" data-chart=\"%s\""
                        + " viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\">",
                id,
                id,
                WIDTH,
                height));
        int labelWidth = 220;
        double plot = WIDTH - labelWidth - RIGHT;
        for (int r = 0; r < rows.size(); r++) {
            long total = values.get(r).stream().mapToLong(Long::longValue).sum();
            double y = TOP + r * rowHeight;
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" class=\"label\" text-anchor=\"end\">%s</text>",
                    labelWidth - 8,
                    y + 15,
                    Html.escape(rows.get(r))));
            double x = labelWidth;
            for (int p = 0; p < parts.size(); p++) {
                long v = values.get(r).get(p);
                if (v == 0) {
                    continue;
                }
                double w = plot * v / (double) Math.max(1, total);
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect class=\"part\" data-row=\"%s\" data-part=\"%s\" data-value=\"%d\" x=\"%.1f\""
                                + " y=\"%.1f\" width=\"%.1f\" height=\"20\" fill=\"%s\"><title>%s · %s: %d</title></rect>",
                        Html.escape(rows.get(r)),
                        parts.get(p),
                        v,
                        x,
                        y,
                        w,
                        colors.get(p),
                        Html.escape(rows.get(r)),
                        parts.get(p),
                        v));
                x += w;
            }
        }
        for (int p = 0; p < parts.size(); p++) {
            int lx = labelWidth + (p % 7) * 100;
            int ly = TOP + rows.size() * rowHeight + 12 + (p / 7) * 16;
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\""
                            + " class=\"legend\">%s</text>",
                    lx,
                    ly,
                    colors.get(p),
                    lx + 14,
                    ly + 9,
                    parts.get(p)));
        }
        return close(svg, rows.isEmpty());
    }

    private static StringBuilder open(String id) {
        return new StringBuilder(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" class=\"chart\" data-chart=\"%s\""
                        + " viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\">",
                id,
                id,
                WIDTH,
                HEIGHT));
    }

    private static String close(StringBuilder svg, boolean empty) {
        if (empty) {
            svg.append("<text x=\"50%\" y=\"50%\" text-anchor=\"middle\" class=\"empty\">no data</text>");
        }
        return svg.append("</svg>").toString();
    }

    private static void yAxis(StringBuilder svg, long max) {
        for (int i = 0; i <= 4; i++) {
            double y = TOP + plotHeight() - plotHeight() * i / 4.0;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%d</text>",
                    LEFT,
                    WIDTH - RIGHT,
                    y,
                    y,
                    LEFT - 6,
                    y + 4,
                    max * i / 4));
        }
    }

    private static void xLabel(StringBuilder svg, double x, String label) {
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%s</text>",
                x,
                TOP + plotHeight() + 16,
                Html.escape(label)));
    }

    /** A round axis maximum at or above {@code value} (1, 2, 5 × 10^n), and at least 4 so ticks are integers. */
    static long niceMax(long value) {
        if (value <= 4) {
            return 4;
        }
        long magnitude = 1;
        while (magnitude * 10 <= value) {
            magnitude *= 10;
        }
        for (long f : new long[] {1, 2, 4, 5, 10}) {
            if (f * magnitude >= value) {
                return f * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static double plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static double plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }
}
