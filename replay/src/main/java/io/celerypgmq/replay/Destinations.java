package io.celerypgmq.replay;

import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a drain sends each task type: the pgmq queue and payload format of its route when the route names one, else
 * the job's default queue ({@code --queue}), else nowhere (the message stays in Redis and the report says so).
 * Shares and shadow modes do not apply at cutover: whatever has a destination goes there, all of it.
 */
public final class Destinations {
    private final RouteTable table;
    private final boolean hasDefault;

    private Destinations(RouteTable table, boolean hasDefault) {
        this.table = table;
        this.hasDefault = hasDefault;
    }

    /**
     * @param routes the bridge's routes
     * @param defaultQueue destination for task types whose route names no pgmq queue, or null for none
     * @param defaultFormat payload format used with {@code defaultQueue}
     */
    public static Destinations of(RouteTable routes, String defaultQueue, PayloadFormat defaultFormat) {
        List<Route> all = new ArrayList<>();
        boolean catchAll = false;
        for (Route r : routes.routes()) {
            Route converted = convert(r, defaultQueue, defaultFormat);
            all.add(converted);
            if (r.taskPattern().equals(Route.DEFAULT_PATTERN) && converted.mode() == RouteMode.PGMQ) {
                catchAll = true;
            }
        }
        return new Destinations(new RouteTable(all, routes.version()), catchAll);
    }

    private static Route convert(Route r, String defaultQueue, PayloadFormat defaultFormat) {
        if (r.pgmqQueue() != null) {
            return new Route(r.taskPattern(), RouteMode.PGMQ, 100, r.pgmqQueue(), r.format());
        }
        if (defaultQueue != null) {
            return new Route(r.taskPattern(), RouteMode.PGMQ, 100, defaultQueue, defaultFormat);
        }
        return Route.celery(r.taskPattern());
    }

    /** The table the bridge's planner routes by: every destination at 100 %, the rest stays on Celery. */
    public RouteTable table() {
        return table;
    }

    /** Whether every task type has a destination, so lists can be taken whole without looking inside. */
    public boolean coversEveryTask() {
        return hasDefault;
    }

    /** The pgmq queue a task type goes to, if any. */
    public Optional<String> queueFor(String taskName) {
        Route r = table.routeFor(taskName);
        return r.mode() == RouteMode.PGMQ ? Optional.of(r.pgmqQueue()) : Optional.empty();
    }
}
