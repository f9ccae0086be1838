package io.celerypgmq.verifier;

import io.celerypgmq.verifier.reconcile.EntryStatus;
import io.celerypgmq.verifier.reconcile.WorksetQueries;
import io.celerypgmq.verifier.report.Timeline;
import io.celerypgmq.verifier.uptime.Uptime;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Buckets the window into at most {@link #MAX_BUCKETS} steps of a readable size and fills the chart series. */
final class TimelineBuilder {
    static final int MAX_BUCKETS = 60;
    private static final List<Duration> STEPS = List.of(
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(15),
            Duration.ofSeconds(30),
            Duration.ofMinutes(1),
            Duration.ofMinutes(5),
            Duration.ofMinutes(15),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(3),
            Duration.ofHours(6),
            Duration.ofHours(12),
            Duration.ofDays(1),
            Duration.ofDays(7),
            Duration.ofDays(30));

    private TimelineBuilder() {}

    static Duration step(Instant start, Instant end) {
        Duration span = Duration.between(start, end);
        for (Duration step : STEPS) {
            if (span.toMillis() <= step.toMillis() * MAX_BUCKETS) {
                return step;
            }
        }
        return span.dividedBy(MAX_BUCKETS).plusMillis(1);
    }

    static Timeline build(Connection c, WorksetQueries q, Window w, Instant firstBridged, Collection<String> queues)
            throws SQLException {
        Instant start = w.since() != null
                ? w.since()
                : firstBridged != null ? firstBridged : w.until().minusSeconds(3600);
        Duration step = step(start, w.until());
        if (w.since() == null) {
            start = Instant.ofEpochMilli(Math.floorDiv(start.toEpochMilli(), step.toMillis()) * step.toMillis());
        }
        int buckets = (int)
                Math.max(1, -Math.floorDiv(-Duration.between(start, w.until()).toMillis(), step.toMillis()));
        Map<String, long[]> counts = q.timeline(start, step, buckets);
        long[] enqueued = counts.getOrDefault("ENQUEUED", new long[buckets]);
        long[] archived = counts.getOrDefault(EntryStatus.ARCHIVED.name(), new long[buckets]);
        long[] deleted = counts.getOrDefault(EntryStatus.DELETED.name(), new long[buckets]);
        long[] dead = counts.getOrDefault(EntryStatus.DEAD_LETTERED.name(), new long[buckets]);
        long[] completed = new long[buckets];
        Arrays.setAll(completed, i -> archived[i] + deleted[i]);
        long[] sampled = Uptime.backlog(c, queues, start, step, buckets, w.until());
        long[] backlog = sampled != null ? sampled : derivedBacklog(enqueued, completed, dead);
        return new Timeline(start, step, list(enqueued), list(completed), list(dead), list(backlog), sampled != null);
    }

    /** Sent minus finished, accumulated: what the queues would hold if nothing else touched them. */
    static long[] derivedBacklog(long[] enqueued, long[] completed, long[] dead) {
        long[] out = new long[enqueued.length];
        long level = 0;
        for (int i = 0; i < out.length; i++) {
            level = Math.max(0, level + enqueued[i] - completed[i] - dead[i]);
            out[i] = level;
        }
        return out;
    }

    private static List<Long> list(long[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
