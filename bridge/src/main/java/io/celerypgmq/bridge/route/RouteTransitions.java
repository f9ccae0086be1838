package io.celerypgmq.bridge.route;

import java.util.Map;
import java.util.Set;

/**
 * The explicit transition tables for route modes, one per {@link ConsumerKind}; the kind of the new route decides.
 *
 * <p>For a plain pgmq worker a task type moves celery → shadow → pgmq (any percentage) and may go back to celery from
 * anywhere; going straight from celery to pgmq skips the shadow phase that proves the new worker handles the task, so
 * it is refused.
 *
 * <p>A Celery worker on {@code pgmq://} runs what it reads: a shadow copy in a queue it consumes runs the task a
 * second time. Shadow is therefore refused for the {@code kombu} format unless the operator states that no Celery
 * worker consumes the shadow queue. What the shadow phase proves (the worker can run the task) the Celery code proves
 * already, so celery → pgmq is allowed directly, at most {@link #CELERY_ON_PGMQ_FIRST_STEP_PERCENT} % in the first
 * step into pgmq (from celery, from shadow, or from another consumer kind); later steps may raise it freely.
 */
public final class RouteTransitions {
    /** The largest share a {@code kombu} route may take in its first step from celery. */
    public static final int CELERY_ON_PGMQ_FIRST_STEP_PERCENT = 10;

    private static final Map<RouteMode, Set<RouteMode>> PGMQ_WORKER = Map.of(
            RouteMode.CELERY, Set.of(RouteMode.CELERY, RouteMode.SHADOW),
            RouteMode.SHADOW, Set.of(RouteMode.SHADOW, RouteMode.CELERY, RouteMode.PGMQ),
            RouteMode.PGMQ, Set.of(RouteMode.PGMQ, RouteMode.SHADOW, RouteMode.CELERY));

    /** How a step to a {@code kombu} route is taken. */
    private enum Step {
        FREE,
        /** Into pgmq from a mode where no Celery worker on pgmq:// ran the task yet: at most the first-step share. */
        CAPPED,
        /** A shadow copy: only into a queue no Celery worker consumes. */
        NO_CELERY_CONSUMER_ONLY
    }

    private static final Map<RouteMode, Map<RouteMode, Step>> CELERY_ON_PGMQ = Map.of(
            RouteMode.CELERY,
                    Map.of(
                            RouteMode.CELERY, Step.FREE,
                            RouteMode.PGMQ, Step.CAPPED,
                            RouteMode.SHADOW, Step.NO_CELERY_CONSUMER_ONLY),
            RouteMode.SHADOW,
                    Map.of(
                            RouteMode.CELERY, Step.FREE,
                            RouteMode.PGMQ, Step.CAPPED,
                            RouteMode.SHADOW, Step.NO_CELERY_CONSUMER_ONLY),
            RouteMode.PGMQ,
                    Map.of(
                            RouteMode.CELERY, Step.FREE,
                            RouteMode.PGMQ, Step.FREE,
                            RouteMode.SHADOW, Step.NO_CELERY_CONSUMER_ONLY));

    /** What the operator says about the consumers of a shadow queue. */
    public enum ShadowCopies {
        /** Nothing is known: a Celery worker on {@code pgmq://} may consume it. */
        MAY_BE_RUN,
        /** The operator states that no Celery worker consumes the shadow queue (an audit-only copy). */
        NO_CELERY_CONSUMER
    }

    private RouteTransitions() {}

    /** Whether the plain-pgmq-worker table allows {@code from} → {@code to}. */
    public static boolean allowed(RouteMode from, RouteMode to) {
        return PGMQ_WORKER.get(from).contains(to);
    }

    /** {@link #check(Route, Route, ShadowCopies)} knowing nothing about the shadow queue's consumers. */
    public static void check(Route from, Route to) {
        check(from, to, ShadowCopies.MAY_BE_RUN);
    }

    /**
     * Checks a change of one task type's route.
     *
     * @throws IllegalRouteTransitionException naming both states and the way forward when the change is not allowed
     */
    public static void check(Route from, Route to, ShadowCopies shadow) {
        if (ConsumerKind.of(to.format()) == ConsumerKind.PGMQ_WORKER) {
            if (!allowed(from.mode(), to.mode())) {
                throw new IllegalRouteTransitionException(
                        from, to, "shadow it first (celery-pgmq route set " + to.taskPattern() + " shadow) and verify");
            }
            return;
        }
        Step step = CELERY_ON_PGMQ.get(from.mode()).get(to.mode());
        if (step == Step.FREE
                && from.mode() == RouteMode.PGMQ
                && ConsumerKind.of(from.format()) != ConsumerKind.CELERY_ON_PGMQ) {
            step = Step.CAPPED; // the consumer changes: Celery workers on pgmq:// have not run this task yet
        }
        if (step == Step.NO_CELERY_CONSUMER_ONLY && shadow != ShadowCopies.NO_CELERY_CONSUMER) {
            throw new IllegalRouteTransitionException(
                    from,
                    to,
                    "a Celery worker on pgmq:// consuming " + to.pgmqQueue() + " would run every shadow copy, so the"
                            + " task would run twice; route it to pgmq at a small percentage instead (celery-pgmq"
                            + " route set " + to.taskPattern() + " pgmq --percent " + CELERY_ON_PGMQ_FIRST_STEP_PERCENT
                            + " --queue <Celery queue> --format kombu), or confirm that no Celery worker consumes "
                            + to.pgmqQueue()
                            + " (--no-celery-consumer)");
        }
        if (step == Step.CAPPED && to.percent() > CELERY_ON_PGMQ_FIRST_STEP_PERCENT) {
            throw new IllegalRouteTransitionException(
                    from,
                    to,
                    "start Celery on pgmq:// at " + CELERY_ON_PGMQ_FIRST_STEP_PERCENT + " % or less (--percent "
                            + CELERY_ON_PGMQ_FIRST_STEP_PERCENT + "), verify, then raise it");
        }
    }
}
