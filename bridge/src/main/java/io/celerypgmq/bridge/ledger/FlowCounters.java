package io.celerypgmq.bridge.ledger;

import io.celerypgmq.bridge.store.SqlArrays;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts what the bridge routed, per minute, task type, route and direction, so the Celery side (which has no
 * ledger rows) is accounted for too. Collect a batch's counts, then {@link #flush} them in its transaction.
 */
public final class FlowCounters {
    private static final String UPSERT =
            "INSERT INTO celery_pgmq.flow (minute, writer, task_name, route, direction, count)"
                    + " SELECT ?, ?, * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[])"
                    + " ON CONFLICT (minute, task_name, route, direction, writer) DO UPDATE"
                    + " SET count = celery_pgmq.flow.count + excluded.count";

    /**
     * The upsert as a data-modifying {@code WITH} item, for a statement that writes the counts along with other rows in
     * one round trip; bind its parameters with {@link #bind}.
     */
    public static final String WITH_ITEM = "flow AS (" + UPSERT + ")";

    private record Key(String taskName, String route, String direction) {}

    private final Map<Key, Long> counts = new HashMap<>();

    public void add(String taskName, String route, String direction) {
        add(taskName, route, direction, 1);
    }

    /**
     * Adds {@code n} (negative to take back a count made for a message that went elsewhere after all); a task name
     * Postgres could not store (a NUL) is counted under a storable form of it.
     */
    public void add(String taskName, String route, String direction, long n) {
        Key key = new Key(Quarantine.storable(taskName, 500), route, direction);
        long total = counts.merge(key, n, Long::sum);
        if (total == 0) {
            counts.remove(key);
        }
    }

    /** Adds every count of {@code other}. */
    public void addAll(FlowCounters other) {
        other.counts.forEach((k, v) -> add(k.taskName(), k.route(), k.direction(), v));
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }

    /**
     * Writes the collected counts under the minute of {@code now} as {@code writer}'s. The counts stay readable
     * ({@link #snapshot}) for the metrics that report the same batch; a batch's counters are flushed once.
     */
    public void flush(Connection c, Instant now, String writer) throws SQLException {
        if (counts.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            bind(ps, 1, now, writer);
            ps.executeUpdate();
        }
    }

    /**
     * Binds the parameters of {@link #WITH_ITEM} (the same as a {@link #flush}) from {@code first}; returns the index
     * after them.
     */
    public int bind(PreparedStatement ps, int first, Instant now, String writer) throws SQLException {
        int n = counts.size();
        String[] task = new String[n];
        String[] route = new String[n];
        String[] direction = new String[n];
        long[] count = new long[n];
        int i = 0;
        for (Map.Entry<Key, Long> e : counts.entrySet()) {
            task[i] = e.getKey().taskName();
            route[i] = e.getKey().route();
            direction[i] = e.getKey().direction();
            count[i++] = e.getValue();
        }
        int p = first;
        ps.setTimestamp(p++, Timestamp.from(now.truncatedTo(ChronoUnit.MINUTES)));
        ps.setString(p++, writer);
        SqlArrays.text(ps, p++, task);
        SqlArrays.text(ps, p++, route);
        SqlArrays.text(ps, p++, direction);
        SqlArrays.bigint(ps, p++, count);
        return p;
    }

    /** A copy of the current counts keyed "task/route/direction", for tests and metrics. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new HashMap<>();
        counts.forEach((k, v) -> out.put(k.taskName() + "/" + k.route() + "/" + k.direction(), v));
        return out;
    }
}
