package io.celerypgmq.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** The report for scripts and CI ({@code --json}): stable field names, counts as numbers. */
final class ReportJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {}

    static String render(ReplayReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", r.kind().label());
        o.put("job", r.jobId());
        o.put("state", r.state().label());
        o.put("dry_run", r.state() == JobState.DRY_RUN);
        o.put("clean", r.clean());
        o.put("elapsed_ms", r.elapsedMillis());
        o.put("rate_per_second", Math.round(r.rate()));
        o.put("moved", r.moved());
        if (r.jobTotal() != null) {
            o.put("job_total", r.jobTotal());
        }
        o.put("duplicates", r.duplicates());
        o.put("expired", r.expired());
        o.put("quarantined", r.quarantined());
        o.put("resumed", r.resumed());
        o.put("returned", r.returned());
        o.put("future_eta", r.delayed());
        o.put("past_eta", r.pastEta());
        counts(o, "per_task", r.byTask());
        counts(o, "per_source", r.bySource());
        counts(o, "per_destination", r.byDestination());
        counts(o, "quarantine_reasons", r.failures());
        counts(o, "left", r.left());
        counts(o, "skipped", r.skipped());
        r.notes().forEach(o.putArray("notes")::add);
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }

    private static void counts(ObjectNode o, String name, Map<String, Long> counts) {
        ObjectNode n = o.putObject(name);
        counts.forEach(n::put);
    }
}
