package io.celerypgmq.replay;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;

/**
 * Keeps a job at or below a number of messages per second, so a drain does not starve the live bridge or the
 * database.
 */
final class Throttle {
    private static final Duration TENTH = Duration.ofMillis(100);
    private final RateLimiter limiter;
    private final int chunk;

    private Throttle(RateLimiter limiter, int chunk) {
        this.limiter = limiter;
        this.chunk = chunk;
    }

    /** No limit when {@code perSecond} is 0. */
    static Throttle perSecond(int perSecond) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("--rate must be >= 0 messages per second, was " + perSecond);
        }
        if (perSecond == 0) {
            return new Throttle(null, 0);
        }
        // Tenths of a second keep bursts short; rates that do not divide by ten refresh once a second instead.
        boolean tenths = perSecond % 10 == 0;
        int perPeriod = tenths ? perSecond / 10 : perSecond;
        Duration period = tenths ? TENTH : Duration.ofSeconds(1);
        RateLimiterConfig config = RateLimiterConfig.custom()
                .limitForPeriod(perPeriod)
                .limitRefreshPeriod(period)
                .timeoutDuration(period)
                .build();
        return new Throttle(RateLimiter.of("replay", config), perPeriod);
    }

    /** The most messages one batch should hold so the limit can be kept smoothly. */
    int batchCap(int batchSize) {
        return limiter == null ? batchSize : Math.max(1, Math.min(batchSize, chunk * 5));
    }

    /** Waits until {@code n} messages may go; false when cancelled while waiting. */
    boolean acquire(int n, CancelToken cancel) {
        if (limiter == null) {
            return !cancel.isCancelled();
        }
        int remaining = n;
        while (remaining > 0) {
            if (cancel.isCancelled()) {
                return false;
            }
            int take = Math.min(remaining, chunk);
            if (limiter.acquirePermission(take)) {
                remaining -= take;
            }
        }
        return true;
    }
}
