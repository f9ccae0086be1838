package io.celerypgmq.bridge.daemon;

import io.celerypgmq.bridge.pump.PumpMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pump pass after another on its own thread. A failing pass (Redis or Postgres down) is logged, counted and
 * retried with exponential backoff; after a run of failures a circuit breaker opens and the loop stops calling the
 * stores for a while (and {@code /ready} says so) — the messages stay where they are, in their source list or the
 * in-flight list, until the store is back. {@link #stop()} lets the current pass finish, so SIGTERM loses nothing.
 */
public final class PumpLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PumpLoop.class);
    static final IntervalFunction BACKOFF = IntervalFunction.ofExponentialBackoff(100, 2.0, 10_000);

    /** One pass: returns true when it found work, false when idle. */
    @FunctionalInterface
    public interface Pass {
        boolean run();
    }

    private final String name;
    private final Pass pass;
    private final long idleWaitMillis;
    private final PumpMetrics metrics;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object wake = new Object();
    private volatile boolean running = true;
    private volatile int consecutiveFailures;
    private final CircuitBreaker breaker;

    public PumpLoop(String name, Pass pass, long idleWaitMillis, PumpMetrics metrics) {
        this.name = name;
        this.pass = pass;
        this.idleWaitMillis = idleWaitMillis;
        this.metrics = metrics;
        this.breaker = CircuitBreaker.of(
                name,
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(10)
                        .minimumNumberOfCalls(5)
                        .failureRateThreshold(50)
                        .waitDurationInOpenState(java.time.Duration.ofSeconds(5))
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .build());
        breaker.getEventPublisher().onStateTransition(e -> LOG.warn("[{}] circuit {}", name, e.getStateTransition()));
    }

    @Override
    public void run() {
        try {
            while (running) {
                long wait;
                if (!breaker.tryAcquirePermission()) {
                    sleep(BACKOFF.apply(Math.max(1, consecutiveFailures)));
                    continue;
                }
                long began = System.nanoTime();
                try {
                    wait = pass.run() ? 0 : idleWaitMillis;
                    breaker.onSuccess(System.nanoTime() - began, TimeUnit.NANOSECONDS);
                    if (consecutiveFailures > 0) {
                        LOG.info("[{}] recovered after {} failed passes", name, consecutiveFailures);
                        consecutiveFailures = 0;
                    }
                } catch (RuntimeException e) {
                    breaker.onError(System.nanoTime() - began, TimeUnit.NANOSECONDS, e);
                    consecutiveFailures++;
                    wait = BACKOFF.apply(consecutiveFailures);
                    metrics.failed(name, e);
                    if (consecutiveFailures == 1 || consecutiveFailures % 20 == 0) {
                        LOG.warn(
                                "[{}] pass failed ({} in a row), retrying in {} ms: {}",
                                name,
                                consecutiveFailures,
                                wait,
                                e.toString());
                    }
                }
                if (wait > 0) {
                    sleep(wait);
                }
            }
        } finally {
            stopped.countDown();
            LOG.info("[{}] stopped", name);
        }
    }

    private void sleep(long millis) {
        synchronized (wake) {
            if (running) {
                try {
                    wake.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    /** Whether the last pass failed or the circuit is open (a store is unreachable). */
    public boolean degraded() {
        return consecutiveFailures > 0 || breaker.getState() == CircuitBreaker.State.OPEN;
    }

    CircuitBreaker.State circuit() {
        return breaker.getState();
    }

    /** Asks the loop to stop after the current pass and waits up to {@code timeoutMillis} for it. */
    public boolean stop(long timeoutMillis) {
        running = false;
        synchronized (wake) {
            wake.notifyAll();
        }
        try {
            return stopped.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
