package io.celerypgmq.bridge.route;

/**
 * Who reads a route's pgmq queue, as far as the transition rules care: it decides what a shadow copy does there and
 * whether a canary may skip the shadow phase ({@link RouteTransitions}).
 */
public enum ConsumerKind {
    /**
     * A plain pgmq worker with its own code (the {@code task} and {@code template} formats): it must prove itself on
     * shadow copies before it takes real traffic.
     */
    PGMQ_WORKER,
    /**
     * A Celery worker on kombu's {@code pgmq://} transport (the {@code kombu} format): it runs every message it reads,
     * shadow copies included, and it runs the same task code as the Celery workers on Redis.
     */
    CELERY_ON_PGMQ;

    public static ConsumerKind of(PayloadFormat format) {
        return format == PayloadFormat.KOMBU ? CELERY_ON_PGMQ : PGMQ_WORKER;
    }
}
