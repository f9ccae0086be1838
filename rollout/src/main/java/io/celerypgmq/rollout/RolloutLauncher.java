package io.celerypgmq.rollout;

import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Works out a rollout's plan from what the operator asked and where the task type is routed now, refusing with the
 * way forward what the migration's rules forbid: a task type on Celery is shadowed first (the transition table has
 * no celery → pgmq), one already on pgmq has nothing to roll out, and shadow copies never share the rollout's queue.
 */
public final class RolloutLauncher {
    /**
     * What {@code rollout start} was given.
     *
     * @param shadow the shadow phase ({@code null}/zero: none); queue, shadowQueue and format may be {@code null}
     */
    public record Request(
            String task,
            List<Integer> steps,
            Duration hold,
            Duration shadow,
            String queue,
            String shadowQueue,
            PayloadFormat format,
            String celeryQueue,
            boolean strict) {}

    private RolloutLauncher() {}

    /** @throws IllegalArgumentException saying what to do instead */
    public static RolloutPlan plan(Request req, Route current) {
        boolean shadowFirst = req.shadow() != null && !req.shadow().isZero();
        if (current.mode() == RouteMode.PGMQ) {
            throw new IllegalArgumentException(req.task() + " is already routed " + current.describeMode()
                    + "; a rollout starts from celery or shadow (celery-pgmq route set " + req.task()
                    + " shadow --queue"
                    + " <shadow queue>, then start it again)");
        }
        if (current.mode() == RouteMode.CELERY && !shadowFirst) {
            throw new IllegalArgumentException(req.task() + " is routed to celery, and a task type is shadowed before"
                    + " it moves: add --shadow 10m (copies go to --shadow-queue, default <queue>_shadow), or shadow it"
                    + " yourself first with celery-pgmq route set " + req.task() + " shadow");
        }
        if (req.queue() == null || req.queue().isBlank()) {
            throw new IllegalArgumentException("--queue is required: the pgmq queue " + req.task() + " moves to");
        }
        String shadowQueue = req.shadowQueue();
        if (shadowQueue == null) {
            shadowQueue = current.mode() == RouteMode.SHADOW ? current.pgmqQueue() : req.queue() + "_shadow";
        }
        if (current.mode() == RouteMode.SHADOW && req.queue().equals(current.pgmqQueue())) {
            throw new IllegalArgumentException(req.task() + " shadows into " + current.pgmqQueue() + ", the queue it"
                    + " would move to: a rollback would send those shadow copies to Celery a second time; shadow it"
                    + " into another queue first");
        }
        PayloadFormat format = req.format() != null
                ? req.format()
                : current.mode() == RouteMode.CELERY ? PayloadFormat.TASK : current.format();
        return new RolloutPlan(
                req.task(),
                req.steps(),
                req.hold(),
                shadowFirst ? req.shadow() : Duration.ZERO,
                req.queue(),
                shadowQueue,
                format,
                req.celeryQueue(),
                req.strict());
    }

    /** The rollout as it starts at {@code now}: holding in shadow, or at the first share. */
    public static Rollout draft(RolloutPlan plan, Instant now, String by) {
        boolean shadow = plan.shadowFirst();
        return new Rollout(
                0,
                plan,
                shadow ? RolloutState.SHADOWING : RolloutState.RAMPING,
                shadow ? -1 : 0,
                now,
                now.plus(shadow ? plan.shadow() : plan.hold()),
                null,
                null,
                now,
                null,
                null,
                0,
                0,
                by,
                null);
    }
}
