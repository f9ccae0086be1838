package io.celerypgmq.verifier.report;

import java.util.List;

/** A titled table of text cells, shared by the text, Markdown and HTML renderers. */
public record Table(String id, String title, String note, List<String> headers, List<List<String>> rows) {

    public Table {
        headers = List.copyOf(headers);
        rows = rows.stream().map(List::copyOf).toList();
        for (List<String> row : rows) {
            if (row.size() != headers.size()) {
                throw new IllegalArgumentException(
                        "table " + id + ": row has " + row.size() + " cells, headers " + headers.size());
            }
        }
    }

    /** Whether column {@code i} holds numbers (right-aligned). */
    public boolean numeric(int i) {
        return !rows.isEmpty()
                && rows.stream()
                        .allMatch(r -> r.get(i).isEmpty() || r.get(i).matches("[-+]?[0-9][0-9.,]*( ?(%|s|ms))?"));
    }
}
