package io.celerypgmq.bridge.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteChange;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteStore;
import io.celerypgmq.bridge.route.RouteTable;
import io.celerypgmq.config.Secrets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Everything the page shows, as the JSON of {@code /api/state}. Each part is read on its own, so a store that is down
 * blanks its part (with the reason) and leaves the others; one computed state is served for
 * {@link DashboardOptions#cacheFor()}.
 */
public final class DashboardState {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardState.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] DIRECTIONS = {"to_celery", "to_pgmq", "to_shadow", "expired", "reversed"};

    private final Supplier<RouteTable> routes;
    private final DashboardOptions options;
    private final RedisBacklog redis;
    private final PgmqBacklog pgmq;
    private final TaskFlow flow;
    private final RouteStore routeStore;
    private ObjectNode cached;
    private Instant cachedAt = Instant.MIN;

    public DashboardState(DataSource db, UnifiedJedis redis, Supplier<RouteTable> routes, DashboardOptions options) {
        this.routes = Objects.requireNonNull(routes, "routes");
        this.options = Objects.requireNonNull(options, "options");
        this.redis = new RedisBacklog(Objects.requireNonNull(redis, "redis"), options);
        this.pgmq = new PgmqBacklog(Objects.requireNonNull(db, "db"), options.dlqSuffix());
        this.flow = new TaskFlow(db);
        this.routeStore = new RouteStore(db);
    }

    /** The current state, at most {@link DashboardOptions#cacheFor()} old. */
    public synchronized ObjectNode current() {
        Instant now = options.clock().instant();
        if (cached == null || now.isBefore(cachedAt) || !now.isBefore(cachedAt.plus(options.cacheFor()))) {
            cached = compute(now);
            cachedAt = now;
        }
        return cached.deepCopy();
    }

    private ObjectNode compute(Instant now) {
        ObjectNode state = JSON.createObjectNode();
        state.put("generated_at", now.toString());
        state.put("read_only", !options.allowsRouteChanges());
        state.put("window_minutes", TaskFlow.WINDOW_MINUTES);
        RouteTable table = routes.get();
        TaskFlow.View flows = part(state, "flow_error", () -> flow.read(now));
        PgmqBacklog.View queues = part(state, "pgmq_error", pgmq::read);
        state.set("tasks", tasks(table, flows, queues));
        state.set("routes", routes(table));
        state.set("pgmq", queues == null ? JSON.createObjectNode().putNull("queues") : queues.queues());
        ObjectNode celery = part(state, "redis_error", () -> redis.read(now));
        state.set("redis", celery == null ? JSON.createObjectNode().putNull("queues") : celery);
        ObjectNode quarantine = state.putObject("quarantine");
        long quarantined = 0;
        if (flows != null) {
            flows.quarantine().forEach(quarantine.putObject("by_reason")::put);
            quarantined = flows.quarantine().values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
        quarantine.put("total", quarantined);
        VerdictSource.Verdict verdict =
                part(state, "verdict_error", () -> options.verdicts().latest().orElse(null));
        if (verdict == null) {
            state.putNull("verdict");
        } else {
            ObjectNode v = state.putObject("verdict");
            v.put("verdict", verdict.verdict());
            v.put("decided_at", verdict.decidedAt().toString());
            v.put("summary", verdict.summary());
        }
        ArrayNode history = state.putArray("route_history");
        java.util.List<RouteChange> changes = part(
                state,
                "history_error",
                () -> flows == null || !flows.installed()
                        ? java.util.List.of()
                        : routeStore.history(options.historyLimit()));
        if (changes != null) {
            for (RouteChange c : changes) {
                ObjectNode h = history.addObject();
                h.put("task", c.taskPattern());
                h.put("old", c.oldRoute());
                h.put("new", c.newRoute());
                h.put("at", c.changedAt().toString());
                h.put("by", c.changedBy());
                h.put("reason", c.reason());
            }
        }
        return state;
    }

    private static ArrayNode tasks(RouteTable table, TaskFlow.View flows, PgmqBacklog.View queues) {
        Set<String> names = new TreeSet<>();
        table.routes().stream().filter(r -> !r.isGlob()).map(Route::taskPattern).forEach(names::add);
        if (flows != null) {
            names.addAll(flows.totals().keySet());
            names.addAll(flows.ledger().keySet());
        }
        if (queues != null) {
            names.addAll(queues.archivedByTask().keySet());
            names.addAll(queues.dlqByTask().keySet());
        }
        ArrayNode rows = JSON.createArrayNode();
        for (String task : names) {
            Route r = table.routeFor(task);
            ObjectNode row = rows.addObject();
            row.put("task", task);
            row.put("route", r.describeMode());
            row.put("mode", r.mode().label());
            row.put("percent", r.mode() == RouteMode.CELERY ? 0 : r.percent());
            row.put("pgmq_queue", r.pgmqQueue());
            row.put("matched_by", r.taskPattern());
            ObjectNode perMinute = row.putObject("per_minute");
            ObjectNode totals = row.putObject("totals");
            Map<String, Long> recent = flows == null ? Map.of() : flows.recent().getOrDefault(task, Map.of());
            Map<String, Long> all = flows == null ? Map.of() : flows.totals().getOrDefault(task, Map.of());
            for (String d : DIRECTIONS) {
                perMinute.put(d, recent.getOrDefault(d, 0L) / (double) TaskFlow.WINDOW_MINUTES);
                totals.put(d, all.getOrDefault(d, 0L));
            }
            Map<String, Long> ledger = flows == null ? Map.of() : flows.ledger().getOrDefault(task, Map.of());
            row.put("sent", ledger.getOrDefault("sent", 0L));
            row.put("expired", ledger.getOrDefault("expired", 0L));
            row.put("archived", queues == null ? 0 : queues.archivedByTask().getOrDefault(task, 0L));
            row.put("dlq", queues == null ? 0 : queues.dlqByTask().getOrDefault(task, 0L));
        }
        return rows;
    }

    private static ArrayNode routes(RouteTable table) {
        ArrayNode rows = JSON.createArrayNode();
        for (Route r : table.routes()) {
            ObjectNode row = rows.addObject();
            row.put("pattern", r.taskPattern());
            row.put("mode", r.mode().label());
            row.put("percent", r.percent());
            row.put("pgmq_queue", r.pgmqQueue());
            row.put("format", r.format().label());
            row.put("route", r.describeMode());
        }
        return rows;
    }

    @FunctionalInterface
    private interface Part<T> {
        T read() throws Exception;
    }

    /** Reads one part; a failure is shown in its place (passwords masked) instead of failing the whole page. */
    private static <T> T part(ObjectNode state, String errorField, Part<T> part) {
        try {
            return part.read();
        } catch (Exception e) {
            LOG.warn("[dashboard] {} unavailable: {}", errorField, Secrets.mask(String.valueOf(e.getMessage())));
            state.put(errorField, Secrets.mask(e.getClass().getSimpleName() + ": " + e.getMessage()));
            return null;
        }
    }
}
