package io.celerypgmq.bridge.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Everything {@code doctor} found, worst first, as text grouped by severity or as one JSON object. */
public record DoctorReport(Instant checkedAt, List<Finding> findings) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public DoctorReport {
        findings = findings.stream()
                .sorted(Comparator.comparing(Finding::severity))
                .toList();
    }

    public boolean hasErrors() {
        return count(Severity.ERROR) > 0;
    }

    public long count(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }

    public List<Finding> of(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).toList();
    }

    /** The readable form: a headline, then each severity's findings with their fixes. */
    public List<String> text() {
        List<String> out = new ArrayList<>();
        out.add("celery-pgmq doctor: " + count(Severity.ERROR) + " error(s), " + count(Severity.WARNING)
                + " warning(s), " + count(Severity.INFO) + " note(s)");
        for (Severity s : Severity.values()) {
            List<Finding> group = of(s);
            if (group.isEmpty()) {
                continue;
            }
            out.add("");
            out.add(s.name() + " (" + group.size() + ")");
            for (Finding f : group) {
                out.add("  [" + f.check() + "] " + f.subject() + ": " + f.problem());
                if (!f.fix().isBlank()) {
                    out.add("      fix: " + f.fix());
                }
            }
        }
        return out;
    }

    public String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("checked_at", checkedAt.toString());
        root.put("errors", count(Severity.ERROR));
        root.put("warnings", count(Severity.WARNING));
        root.put("notes", count(Severity.INFO));
        ArrayNode list = root.putArray("findings");
        for (Finding f : findings) {
            ObjectNode o = list.addObject();
            o.put("severity", f.severity().label());
            o.put("check", f.check());
            o.put("subject", f.subject());
            o.put("problem", f.problem());
            o.put("fix", f.fix());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the doctor report", e);
        }
    }
}
