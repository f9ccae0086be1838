package io.celerypgmq.bridge.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What the messages themselves show: ETAs beyond the visibility timeout, mixed protocols, undecodable ones. */
final class MessageChecks {
    /** Decode failures a Celery 5.2 worker dies on (CELERY-WIRE §11): the message is lost and the worker exits. */
    private static final Set<String> FATAL = Set.of("BAD_ENVELOPE_JSON", "ENVELOPE_NOT_OBJECT", "BAD_BASE64");

    private MessageChecks() {}

    static List<Finding> eta(RedisSurvey survey, int visibilityTimeout) {
        List<Finding> out = new ArrayList<>();
        for (QueueStats q : survey.queues.values()) {
            if (q.etaHazards == 0) {
                continue;
            }
            long needed = q.longestEtaWait.toSeconds() + 60;
            out.add(Finding.error(
                    "eta",
                    q.queue,
                    q.etaHazards + " message(s) wait for an ETA further away than the visibility timeout ("
                            + visibilityTimeout + " s), the longest " + q.longestEtaWait.toSeconds() + " s: kombu"
                            + " restores them from unacked while a worker still holds them, so they run twice"
                            + " (kombu#337). Tasks: " + String.join(", ", q.etaTasks) + "; e.g. "
                            + String.join(", ", q.etaSamples),
                    "raise broker_transport_options={'visibility_timeout': " + needed + "} (on producers and"
                            + " workers) above the longest countdown, or move " + String.join(", ", q.etaTasks)
                            + " to pgmq, where an ETA is a delay with no visibility timeout (celery-pgmq route set"
                            + " <task> shadow --queue <pgmq queue>)"));
        }
        return out;
    }

    static List<Finding> protocols(RedisSurvey survey) {
        long v1 = QueueStats.total(survey.queues, q -> q.protocol1);
        long v2 = QueueStats.total(survey.queues, q -> q.protocol2);
        if (v1 == 0 || v2 == 0) {
            return v1 + v2 == 0
                    ? List.of()
                    : List.of(Finding.info(
                            "protocol", "all queues", "every message uses task protocol " + (v1 > 0 ? 1 : 2)));
        }
        List<String> where = new ArrayList<>();
        Set<String> tasks = new TreeSet<>();
        for (QueueStats q : survey.queues.values()) {
            if (q.protocol1 > 0) {
                where.add(q.queue + " (" + q.protocol1 + " of " + (q.protocol1 + q.protocol2) + ")");
                tasks.addAll(q.protocol1Tasks);
            }
        }
        return List.of(Finding.warning(
                "protocol",
                "all queues",
                "task protocols 1 and 2 are mixed: " + v1 + " protocol-1 and " + v2 + " protocol-2 messages;"
                        + " protocol 1 in " + String.join(", ", where) + " (tasks " + String.join(", ", tasks)
                        + "). Protocol 1 has no headers, so root_id, parent_id, shadow and argsrepr are missing"
                        + " and mixed Celery versions lose metadata (celery#4356)",
                "set task_protocol = 2 on every producer that still sends protocol 1 (Celery >= 4 defaults to 2);"
                        + " the bridge reads both meanwhile"));
    }

    static List<Finding> undecodable(RedisSurvey survey) {
        List<Finding> out = new ArrayList<>();
        for (QueueStats q : survey.queues.values()) {
            if (q.undecodable.isEmpty()) {
                continue;
            }
            long total =
                    q.undecodable.values().stream().mapToLong(Long::longValue).sum();
            boolean fatal = q.undecodable.keySet().stream().anyMatch(FATAL::contains);
            String problem = total + " message(s) do not decode (" + describe(q.undecodable) + ")"
                    + (fatal ? "; a Celery 5.2 worker that takes one exits and the message is lost" : "");
            String fix = "look at them with celery-pgmq inspect " + q.queue + " --json; the bridge quarantines"
                    + " them (celery_pgmq.quarantine) instead of passing them on";
            out.add(
                    fatal
                            ? Finding.error("messages", q.queue, problem, fix)
                            : Finding.warning("messages", q.queue, problem, fix));
        }
        return out;
    }

    private static String describe(Map<String, Long> reasons) {
        List<String> parts = new ArrayList<>();
        reasons.forEach((reason, n) -> parts.add(reason + " " + n));
        return String.join(", ", parts);
    }
}
