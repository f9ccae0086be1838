package io.celerypgmq.bridge.route;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a task type stands in its migration, as operators read it (after Temporal's ramping / current / draining /
 * drained): the route's mode, and for a task type wholly on pgmq whether Celery's Redis still holds messages of it.
 * Draining and drained are derived from a census of the Redis lists, never stored.
 *
 * @param percent the pgmq share for {@link Kind#RAMPING} and {@link Kind#SHADOW}, else 0 or 100
 * @param redisHolds messages of the task type Redis held at the census ({@code -1} when never counted)
 * @param checkedAt when Redis was counted, {@code null} when never
 */
public record RouteState(Kind kind, int percent, long redisHolds, Instant checkedAt) {

    /** The states, in the order a migration passes them. */
    public enum Kind {
        CELERY,
        SHADOW,
        RAMPING,
        /** pgmq 100 %, Redis not counted yet. */
        PGMQ,
        DRAINING,
        DRAINED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RouteState {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.DRAINING || kind == Kind.DRAINED) && checkedAt == null) {
            throw new IllegalArgumentException(kind.label() + " needs the time Redis was counted");
        }
    }

    /**
     * The state of a task type routed by {@code route}.
     *
     * @param redisHolds messages of this type in Celery's Redis lists and {@code unacked} at {@code checkedAt}, or
     *     {@code -1} when nobody has counted them
     */
    public static RouteState of(Route route, long redisHolds, Instant checkedAt) {
        return switch (route.mode()) {
            case CELERY -> new RouteState(Kind.CELERY, 0, redisHolds, checkedAt);
            case SHADOW -> new RouteState(Kind.SHADOW, route.percent(), redisHolds, checkedAt);
            case PGMQ -> {
                if (route.percent() < 100) {
                    yield new RouteState(Kind.RAMPING, route.percent(), redisHolds, checkedAt);
                }
                if (redisHolds < 0 || checkedAt == null) {
                    yield new RouteState(Kind.PGMQ, 100, -1, null);
                }
                yield new RouteState(redisHolds > 0 ? Kind.DRAINING : Kind.DRAINED, 100, redisHolds, checkedAt);
            }
        };
    }

    /** e.g. {@code ramping 25 %}, {@code draining (Redis still holds 12 messages of that type, last checked at …)}. */
    public String describe() {
        return switch (kind) {
            case CELERY, PGMQ -> kind.label();
            case SHADOW -> percent < 100 ? "shadow " + percent + " %" : "shadow";
            case RAMPING -> "ramping " + percent + " %";
            case DRAINING -> "draining (Redis still holds " + redisHolds + " message" + (redisHolds == 1 ? "" : "s")
                    + " of that type, last checked at " + checkedAt + ")";
            case DRAINED -> "drained (Redis holds none of that type, last checked at " + checkedAt + ")";
        };
    }

    @Override
    public String toString() {
        return describe();
    }
}
