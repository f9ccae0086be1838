package io.celerypgmq.verifier.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.verifier.compare.ComparisonRow;
import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.latency.WaitStats;
import io.celerypgmq.verifier.reconcile.EntryStatus;
import io.celerypgmq.verifier.reconcile.MissingEntry;
import io.celerypgmq.verifier.reconcile.StatusCounts;
import io.celerypgmq.verifier.uptime.UptimeStats;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The JSON rendering, for tools and CI: snake_case keys, times as ISO-8601 UTC, durations as seconds, and
 * {@code null} where something was not measured.
 */
final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    static String render(Report r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("generated_at", iso(r.generatedAt()));
        root.putObject("window")
                .put("since", iso(r.window().since()))
                .put("until", iso(r.window().until()));
        root.put("task_filter", r.taskFilter());
        root.put("gate", r.gate().name());
        root.set("totals", counts(r.totals()));
        root.set("queue_wait", waits(r.totalWaits()));
        ArrayNode tasks = root.putArray("tasks");
        for (TaskReport t : r.tasks()) {
            ObjectNode n = tasks.addObject();
            n.put("task", t.task());
            n.set("counts", counts(t.counts()));
            n.put("routed_to_celery", t.routedToCelery());
            t.queues().forEach(n.putArray("queues")::add);
            n.set("queue_wait", waits(t.waits()));
            n.set("uptime", uptime(t.uptime()));
            n.set("shadow", t.shadow() == null ? null : shadow(t.shadow()));
            ObjectNode th = n.putObject("thresholds");
            th.put("max_dlq_rate_percent", t.thresholds().maxDlqRatePercent());
            th.put("min_uptime_percent", t.thresholds().minUptimePercent());
            th.put("max_p95_wait_seconds", seconds(t.thresholds().maxP95Wait()));
            th.put("stall_seconds", seconds(t.thresholds().stall()));
            th.put("max_shadow_mismatch_percent", t.thresholds().maxShadowMismatchPercent());
            ArrayNode criteria = n.putArray("criteria");
            t.criteria().forEach(c -> criteria.add(criterion(c)));
        }
        ArrayNode queues = root.putArray("queues");
        for (QueueReport q : r.queues()) {
            ObjectNode n = queues.addObject();
            n.put("queue", q.queue());
            n.set("counts", counts(q.counts()));
            n.set("uptime", uptime(q.uptime()));
            n.put("deletes_logged_since", iso(q.deletesLoggedSince()));
        }
        root.put("missing_total", r.missingTotal());
        ArrayNode missing = root.putArray("missing");
        r.missing().forEach(m -> missing.add(missing(m)));
        ArrayNode quarantine = root.putArray("quarantine");
        r.quarantine().forEach(q -> quarantine
                .addObject()
                .put("reason", q.reason())
                .put("messages", q.messages())
                .put("sightings", q.sightings()));
        ObjectNode cov = root.putObject("coverage");
        cov.put("queues_with_completion_log", r.coverage().trackedQueues());
        cov.put("missing_without_completion_log", r.coverage().missingWithoutLog());
        cov.put("watch_samples", r.coverage().samples());
        cov.put("first_sample", iso(r.coverage().firstSample()));
        cov.put("last_sample", iso(r.coverage().lastSample()));
        cov.put("result_backend", r.coverage().resultBackend());
        root.set("timeline", timeline(r.timeline()));
        r.caveats().forEach(root.putArray("caveats")::add);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode counts(StatusCounts c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("enqueued", c.enqueued());
        n.put("sent", c.sent());
        for (EntryStatus s : EntryStatus.values()) {
            n.put(s.name().toLowerCase(Locale.ROOT), c.of(s));
        }
        n.put("pending_visible", c.pendingVisible());
        n.put("pending_in_flight", c.pendingInFlight());
        return n;
    }

    private static ObjectNode waits(WaitStats w) {
        ObjectNode n = JSON.createObjectNode();
        n.put("measured", w.measured());
        n.put("still_waiting", w.stillWaiting());
        n.put("excluded_redelivered", w.excludedRedelivered());
        n.put("excluded_unknown", w.excludedUnknown());
        n.put("p50_seconds", seconds(w.p50()));
        n.put("p95_seconds", seconds(w.p95()));
        n.put("p99_seconds", seconds(w.p99()));
        n.put("max_seconds", seconds(w.max()));
        w.histogram().forEach(n.putArray("histogram")::add);
        return n;
    }

    private static ObjectNode uptime(UptimeStats u) {
        ObjectNode n = JSON.createObjectNode();
        n.put("samples", u.samples());
        n.put("up_samples", u.upSamples());
        n.put("percent", u.isMeasured() ? u.percent() : null);
        n.put("stall_seconds", seconds(u.stall()));
        n.put("first_sample", iso(u.first()));
        n.put("last_sample", iso(u.last()));
        n.put("worst_visible_age_seconds", u.worstAge());
        return n;
    }

    private static ObjectNode shadow(ComparisonRow s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("shadow_copies", s.shadowCopies());
        n.put("compared", s.compared());
        n.put("matches", s.matches());
        n.put("mismatches", s.mismatches());
        n.put("no_celery_result", s.noCeleryResult());
        n.put("unreadable", s.unreadable());
        n.put("not_final", s.notFinal());
        n.put("celery_unavailable", s.celeryUnavailable());
        ObjectNode pairs = n.putObject("pairs");
        s.pairs().forEach(pairs::put);
        ArrayNode examples = n.putArray("mismatch_examples");
        s.examples().forEach(m -> examples.addObject()
                .put("task_id", m.taskId())
                .put("identity", m.identity())
                .put("celery", m.celery().name())
                .put("pgmq", m.pgmq().name())
                .put("detail", m.detail()));
        return n;
    }

    private static ObjectNode criterion(CriterionResult c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("criterion", c.criterion().key());
        n.put("verdict", c.verdict().name());
        n.put("value", Double.isNaN(c.value()) ? null : c.value());
        n.put("measured", c.measured());
        n.put("threshold", c.threshold());
        n.put("note", c.note());
        return n;
    }

    private static ObjectNode missing(MissingEntry m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("identity", m.identity());
        n.put("task", m.taskName());
        n.put("task_id", m.taskId());
        n.put("queue", m.queue());
        n.put("msg_id", m.msgId());
        n.put("route", m.route());
        n.put("bridged_at", iso(m.bridgedAt()));
        return n;
    }

    private static ObjectNode timeline(Timeline t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("start", iso(t.start()));
        n.put("step_seconds", seconds(t.step()));
        series(n, "enqueued", t.enqueued());
        series(n, "completed", t.completed());
        series(n, "dead_lettered", t.deadLettered());
        series(n, "backlog", t.backlog());
        n.put("backlog_sampled", t.backlogSampled());
        return n;
    }

    private static void series(ObjectNode n, String name, List<Long> values) {
        values.forEach(n.putArray(name)::add);
    }

    private static Double seconds(Duration d) {
        return d == null ? null : d.toNanos() / 1e9;
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
