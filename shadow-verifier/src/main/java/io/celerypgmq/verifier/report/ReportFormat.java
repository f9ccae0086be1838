package io.celerypgmq.verifier.report;

import java.util.Locale;

/** The formats a report renders to: a terminal table, JSON for tools, Markdown for tickets, one HTML file. */
public enum ReportFormat {
    TEXT,
    JSON,
    MARKDOWN,
    HTML;

    public String render(Report report) {
        return switch (this) {
            case TEXT -> TextReport.render(report);
            case JSON -> JsonReport.render(report);
            case MARKDOWN -> MarkdownReport.render(report);
            case HTML -> HtmlReport.render(report);
        };
    }

    /** {@code text}, {@code json}, {@code markdown} (or {@code md}), {@code html}. */
    public static ReportFormat parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "text", "table" -> TEXT;
            case "json" -> JSON;
            case "markdown", "md" -> MARKDOWN;
            case "html" -> HTML;
            default -> throw new IllegalArgumentException(
                    "unknown report format '" + text + "'; use text, json, markdown or html");
        };
    }
}
