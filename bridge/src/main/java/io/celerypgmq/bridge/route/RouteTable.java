package io.celerypgmq.bridge.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable snapshot of every route. Lookup: an exact task name wins; otherwise the glob with the longest literal
 * prefix; otherwise the default ({@code *}, Celery unless configured). Snapshots are swapped whole when routes change,
 * so a batch is always routed by one consistent table.
 */
public final class RouteTable {
    private final Map<String, Route> exact;
    private final List<Route> globs;
    private final Route fallback;
    private final long version;
    private final Map<String, Route> cache = new ConcurrentHashMap<>();

    public RouteTable(List<Route> routes, long version) {
        Map<String, Route> byName = new java.util.HashMap<>();
        List<Route> patterns = new ArrayList<>();
        Route def = Route.celery(Route.DEFAULT_PATTERN);
        for (Route r : routes) {
            if (r.taskPattern().equals(Route.DEFAULT_PATTERN)) {
                def = r;
            } else if (r.isGlob()) {
                patterns.add(r);
            } else {
                byName.put(r.taskPattern(), r);
            }
        }
        patterns.sort(Comparator.comparingInt((Route r) -> Glob.literalPrefix(r.taskPattern()))
                .reversed()
                .thenComparing(Route::taskPattern));
        this.exact = Map.copyOf(byName);
        this.globs = List.copyOf(patterns);
        this.fallback = def;
        this.version = version;
    }

    public static RouteTable celeryOnly() {
        return new RouteTable(List.of(), 0);
    }

    public long version() {
        return version;
    }

    /** The route for a task name. */
    public Route routeFor(String taskName) {
        return cache.computeIfAbsent(taskName, this::lookup);
    }

    private Route lookup(String taskName) {
        Route r = exact.get(taskName);
        if (r != null) {
            return r;
        }
        for (Route g : globs) {
            if (g.matches(taskName)) {
                return g;
            }
        }
        return fallback;
    }

    /** Routes one message by its task name and root id (the task id when it has no root). */
    public RoutingDecision decide(String taskName, String rootId) {
        Route route = routeFor(taskName);
        return switch (route.mode()) {
            case CELERY -> new RoutingDecision(route, true, false);
            case SHADOW -> new RoutingDecision(route, true, StickySplit.takesPgmq(rootId, route.percent()));
            case PGMQ -> {
                boolean pgmq = StickySplit.takesPgmq(rootId, route.percent());
                yield new RoutingDecision(route, !pgmq, pgmq);
            }
        };
    }

    /** Every explicitly configured route, default last. */
    public List<Route> routes() {
        List<Route> all = new ArrayList<>(exact.values());
        all.sort(Comparator.comparing(Route::taskPattern));
        all.addAll(globs);
        all.add(fallback);
        return all;
    }

    public Optional<Route> explicit(String taskPattern) {
        if (taskPattern.equals(Route.DEFAULT_PATTERN)) {
            return Optional.of(fallback);
        }
        return Optional.ofNullable(exact.get(taskPattern)).or(() -> globs.stream()
                .filter(g -> g.taskPattern().equals(taskPattern))
                .findFirst());
    }
}
