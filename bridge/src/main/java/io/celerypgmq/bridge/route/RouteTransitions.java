package io.celerypgmq.bridge.route;

import java.util.Map;
import java.util.Set;

/**
 * The explicit transition table for route modes. A task type moves celery → shadow → pgmq (any percentage), and may
 * go back to celery from anywhere (roll back). Going straight from celery to pgmq skips the shadow phase that proves
 * the new worker handles the task, so it is refused.
 */
public final class RouteTransitions {
    private static final Map<RouteMode, Set<RouteMode>> ALLOWED = Map.of(
            RouteMode.CELERY, Set.of(RouteMode.CELERY, RouteMode.SHADOW),
            RouteMode.SHADOW, Set.of(RouteMode.SHADOW, RouteMode.CELERY, RouteMode.PGMQ),
            RouteMode.PGMQ, Set.of(RouteMode.PGMQ, RouteMode.SHADOW, RouteMode.CELERY));

    private RouteTransitions() {}

    public static boolean allowed(RouteMode from, RouteMode to) {
        return ALLOWED.get(from).contains(to);
    }

    /**
     * Checks a change of one task type's route.
     *
     * @throws IllegalRouteTransitionException naming both states when the change is not allowed
     */
    public static void check(Route from, Route to) {
        if (!allowed(from.mode(), to.mode())) {
            throw new IllegalRouteTransitionException(
                    from, to, "shadow it first (celery-pgmq route set " + to.taskPattern() + " shadow) and verify");
        }
    }
}
