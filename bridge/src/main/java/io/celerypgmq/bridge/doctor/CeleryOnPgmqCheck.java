package io.celerypgmq.bridge.doctor;

import io.celerypgmq.bridge.pgmq.PgmqStatus;
import io.celerypgmq.bridge.route.KombuQueueNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What bites the move to Celery workers on kombu 5.7's {@code pgmq://} transport: kombu's routes that write where no
 * such worker reads or whose acks verify cannot see (always warnings), and, in what sits in Redis, tasks that kombu's
 * transport would delay by {@code expires}, ETAs and time limits beyond its visibility timeout, and queue names it
 * would rename (warnings once a {@code kombu} route exists, information before).
 */
final class CeleryOnPgmqCheck {
    static final String CHECK = "celery-on-pgmq";

    private CeleryOnPgmqCheck() {}

    /** A {@code kombu}-format route and since when its queue's deletes are logged ({@code null}: not logged). */
    record KombuRoute(String pattern, String queue, Instant trackedSince) {}

    /** The {@code kombu}-format routes in force; none where the bridge schema is not installed. */
    static List<KombuRoute> routes(Connection c) throws SQLException {
        List<KombuRoute> out = new ArrayList<>();
        if (!exists(c, "celery_pgmq.routes")) {
            return out;
        }
        boolean tracking = exists(c, "celery_pgmq.completion_tracking");
        String sql = tracking
                ? "SELECT r.task_pattern, r.pgmq_queue, t.since FROM celery_pgmq.routes r LEFT JOIN"
                        + " celery_pgmq.completion_tracking t ON t.queue_name = r.pgmq_queue"
                        + " WHERE r.format = 'kombu' AND r.pgmq_queue IS NOT NULL ORDER BY 1"
                : "SELECT task_pattern, pgmq_queue, NULL::timestamptz FROM celery_pgmq.routes"
                        + " WHERE format = 'kombu' AND pgmq_queue IS NOT NULL ORDER BY 1";
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                java.sql.Timestamp since = rs.getTimestamp(3);
                out.add(new KombuRoute(rs.getString(1), rs.getString(2), since == null ? null : since.toInstant()));
            }
        }
        return out;
    }

    static List<Finding> routeFindings(List<KombuRoute> routes, PgmqStatus.Kind pgmq) {
        List<Finding> out = new ArrayList<>();
        if (!routes.isEmpty() && pgmq != PgmqStatus.Kind.EXTENSION) {
            out.add(Finding.warning(
                    CHECK,
                    "pgmq",
                    "kombu-format routes exist, but pgmq here is not the extension (" + pgmq + "): kombu's pgmq client"
                            + " runs CREATE EXTENSION pgmq on connect, which fails, and a Celery worker on pgmq:// then"
                            + " does not start",
                    "install the real pgmq extension, or set broker_transport_options={'init_extension': False} on"
                            + " your Celery workers and producers on pgmq://"));
        }
        for (KombuRoute r : routes) {
            if (KombuQueueNames.defaults().renames(r.queue())) {
                out.add(Finding.warning(
                        CHECK,
                        r.pattern(),
                        "the kombu-format route writes to pgmq queue " + r.queue() + ", a name kombu's pgmq transport"
                                + " never uses (it maps punctuation to '_'): no Celery worker on pgmq:// reads it",
                        "set the route again with the Celery queue name, which celery-pgmq maps as kombu does:"
                                + " celery-pgmq route set " + r.pattern()
                                + " pgmq --format kombu --queue <celery queue>"));
            }
            if (r.trackedSince() == null) {
                out.add(Finding.warning(
                        CHECK,
                        r.pattern(),
                        "deletes on pgmq queue " + r.queue() + " are not logged: a Celery worker on pgmq:// acks by"
                                + " delete, so verify reports every message it ran as MISSING",
                        "celery-pgmq verify --track-deletes (messages deleted before then count as unknown)"));
            }
        }
        return out;
    }

    /**
     * @param onThisPath whether a {@code kombu} route exists: the hazards are then warnings, before only information
     * @param pgmqVisibilityTimeout the workers' {@code broker_transport_options['visibility_timeout']} on pgmq://
     */
    static List<Finding> messages(
            RedisSurvey survey, boolean onThisPath, int pgmqVisibilityTimeout, KombuQueueNames names) {
        List<Finding> out = new ArrayList<>();
        SortedSet<String> expiring = new TreeSet<>();
        long withExpires = 0;
        Map<String, String> renamed = new TreeMap<>();
        for (QueueStats q : survey.queues.values()) {
            withExpires += q.withExpires;
            expiring.addAll(q.expiresTasks);
            if (!q.queue.equals("(unknown queue)") && names.renames(q.queue)) {
                renamed.put(q.queue, names.pgmqName(q.queue));
            }
            if (q.furthestEta.toSeconds() > pgmqVisibilityTimeout) {
                out.add(finding(
                        onThisPath,
                        q.queue,
                        "an ETA " + q.furthestEta.toSeconds() + " s away (" + q.furthestEtaTask + ") is longer than the"
                                + " pgmq:// visibility timeout (" + pgmqVisibilityTimeout + " s): published by a"
                                + " producer on pgmq://, a worker holds it, it becomes visible again and a second"
                                + " worker runs it too (the bridge turns an ETA into a pgmq delay instead, so bridged"
                                + " messages are not affected)",
                        "raise broker_transport_options visibility_timeout on pgmq:// above the longest countdown, or"
                                + " keep this task's producers on Redis behind the bridge"));
            }
            if (q.longestTimeLimitSeconds > pgmqVisibilityTimeout) {
                out.add(finding(
                        onThisPath,
                        q.queue,
                        q.longestTimeLimitTask + " may run " + (long) q.longestTimeLimitSeconds + " s (its time limit),"
                                + " longer than the pgmq:// visibility timeout (" + pgmqVisibilityTimeout + " s): the"
                                + " message becomes visible mid-run and another worker runs the task again",
                        "raise broker_transport_options visibility_timeout on pgmq:// above the longest task runtime"));
            }
        }
        if (withExpires > 0) {
            out.add(finding(
                    onThisPath,
                    "all queues",
                    withExpires + " message(s) carry expires (tasks " + String.join(", ", expiring) + "): Celery sets"
                            + " the expiration property from it, and kombu's pgmq transport delays a message by its"
                            + " expiration, so once their producers publish to pgmq:// these tasks become visible only"
                            + " when they have expired and workers discard them (the bridge delays by ETA, not"
                            + " expires)",
                    "drop expires from these tasks before moving their producers to pgmq://, or keep the producers on"
                            + " Redis behind the bridge"));
        }
        renamed.forEach((celery, pgmq) -> out.add(finding(
                onThisPath,
                celery,
                "a Celery worker on pgmq:// started with -Q " + celery + " reads pgmq queue " + pgmq
                        + " (kombu maps punctuation to '_'" + (names.prefix().isEmpty() ? "" : " after the prefix")
                        + ")",
                "route it with --format kombu --queue " + celery + ", which writes to " + pgmq)));
        return out;
    }

    private static Finding finding(boolean warn, String subject, String problem, String fix) {
        return warn
                ? Finding.warning(CHECK, subject, problem, fix)
                : Finding.info(CHECK, subject, "if these tasks move to Celery on pgmq://: " + problem + "; " + fix);
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
