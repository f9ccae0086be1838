package io.celerypgmq.bridge.daemon;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pump pass after another on its own thread, and knows whether the pump is healthy (DESIGN invariant 10).
 *
 * <ul>
 *   <li>Any failure of a pass, {@link Error}s included, is caught, logged, counted and retried with exponential backoff;
 *       after a run of failures a circuit breaker opens and the loop leaves the stores alone for a while. The messages
 *       stay where they are (their source list, the in-flight list, the locked rows) until the next pass.
 *   <li>A {@link VirtualMachineError} (out of memory, say; a stack overflow unwinds and is not one of them) leaves the
 *       JVM in no state to go on: the loop hands it to
 *       {@link Fatal}, which ends the process with exit code 4 so its supervisor restarts it; every batch in hand is
 *       redone from where a crash would leave it.
 *   <li>{@link #health} is healthy only while the last pass ended well and no pass has been running longer than a
 *       bound; otherwise it says since when and why: a store unreachable, a batch that keeps failing, a pass that
 *       hangs, or a thread that ended.
 * </ul>
 *
 * {@link #stop} lets the current pass finish, so SIGTERM loses nothing.
 */
public final class PumpLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PumpLoop.class);
    static final IntervalFunction BACKOFF = IntervalFunction.ofExponentialBackoff(100, 2.0, 10_000);

    /** One pass: returns true when it found work, false when idle. */
    @FunctionalInterface
    public interface Pass {
        boolean run();
    }

    /** What to do about an error the JVM cannot go on after. */
    @FunctionalInterface
    public interface Fatal {
        /** Ends the process with code 4 ({@code crashed}), from a thread of its own, halting if shutdown hangs. */
        Fatal EXIT = (pump, error) -> {
            Thread exit = new Thread(() -> System.exit(4), "fatal-exit");
            exit.setDaemon(true);
            exit.start();
            Thread halt = new Thread(
                    () -> {
                        try {
                            Thread.sleep(15_000);
                        } catch (InterruptedException ignored) {
                            // halting now is as good
                        }
                        Runtime.getRuntime().halt(4);
                    },
                    "fatal-halt");
            halt.setDaemon(true);
            halt.start();
        };

        void crashed(String pump, VirtualMachineError error);
    }

    /** How a pump is doing: healthy, or since when and why not. */
    public record Health(String pump, boolean ok, Instant since, String why) {
        @Override
        public String toString() {
            return ok ? pump + ": ok" : pump + ": not ready since " + since + ": " + why;
        }
    }

    private final String name;
    private final Pass pass;
    private final long idleWaitMillis;
    private final PumpMetrics metrics;
    private final Clock clock;
    private final Fatal fatal;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object wake = new Object();
    private final CircuitBreaker breaker;
    private volatile boolean running = true;
    private volatile boolean started;
    private volatile int consecutiveFailures;
    private volatile Instant passStarted;
    private volatile Instant failingSince;
    private volatile String failure;
    private volatile Instant endedAt;

    public PumpLoop(String name, Pass pass, long idleWaitMillis, PumpMetrics metrics) {
        this(name, pass, idleWaitMillis, metrics, Clock.systemUTC(), Fatal.EXIT);
    }

    public PumpLoop(String name, Pass pass, long idleWaitMillis, PumpMetrics metrics, Clock clock, Fatal fatal) {
        this.name = name;
        this.pass = pass;
        this.idleWaitMillis = idleWaitMillis;
        this.metrics = metrics;
        this.clock = clock;
        this.fatal = fatal;
        this.breaker = CircuitBreaker.of(
                name,
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(10)
                        .minimumNumberOfCalls(5)
                        .failureRateThreshold(50)
                        .waitDurationInOpenState(Duration.ofSeconds(5))
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .recordExceptions(Throwable.class)
                        .build());
        breaker.getEventPublisher().onStateTransition(e -> LOG.warn("[{}] circuit {}", name, e.getStateTransition()));
    }

    public String name() {
        return name;
    }

    @Override
    public void run() {
        started = true;
        try {
            while (running) {
                if (!breaker.tryAcquirePermission()) {
                    sleep(BACKOFF.apply(Math.max(1, consecutiveFailures)));
                    continue;
                }
                long wait = onePass();
                if (wait > 0) {
                    sleep(wait);
                }
            }
        } finally {
            endedAt = clock.instant();
            stopped.countDown();
            LOG.info("[{}] stopped", name);
        }
    }

    /** Runs one pass; returns how long to wait before the next. */
    private long onePass() {
        long began = System.nanoTime();
        passStarted = clock.instant();
        try {
            boolean worked = pass.run();
            breaker.onSuccess(System.nanoTime() - began, TimeUnit.NANOSECONDS);
            if (consecutiveFailures > 0) {
                LOG.info("[{}] recovered after {} failed passes", name, consecutiveFailures);
                consecutiveFailures = 0;
                failure = null;
                failingSince = null;
            }
            return worked ? 0 : idleWaitMillis;
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError vm && !(e instanceof StackOverflowError)) {
                running = false;
                try {
                    LOG.error(
                            "[{}] the JVM cannot go on ({}); exiting with code 4 to be restarted", name, e.toString());
                } finally {
                    fatal.crashed(name, vm);
                }
                return 0;
            }
            breaker.onError(System.nanoTime() - began, TimeUnit.NANOSECONDS, e);
            if (consecutiveFailures++ == 0) {
                failingSince = clock.instant();
            }
            failure = FailureCause.describe(e);
            long wait = BACKOFF.apply(consecutiveFailures);
            metrics.failed(name, e);
            if (consecutiveFailures == 1 || consecutiveFailures % 20 == 0) {
                LOG.warn(
                        "[{}] pass failed ({} in a row), retrying in {} ms: {}",
                        name,
                        consecutiveFailures,
                        wait,
                        failure);
            }
            return wait;
        } finally {
            passStarted = null;
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

    /**
     * Healthy while the loop runs, its last pass ended well (with work or idle) and no pass has been running for
     * {@code stallAfter} or more.
     */
    public Health health(Duration stallAfter) {
        Instant now = clock.instant();
        if (endedAt != null) {
            return new Health(name, false, endedAt, "the pump has stopped");
        }
        Instant inPass = passStarted;
        if (inPass != null && !inPass.plus(stallAfter).isAfter(now)) {
            return new Health(
                    name,
                    false,
                    inPass,
                    "a pass has been running for "
                            + Duration.between(inPass, now).toSeconds()
                            + " s (a store not answering, or a lock held elsewhere)");
        }
        String why = failure;
        if (why != null) {
            return new Health(name, false, failingSince, why + " (" + consecutiveFailures + " passes in a row)");
        }
        if (breaker.getState() == CircuitBreaker.State.OPEN) {
            return new Health(name, false, now, "circuit open after repeated failures");
        }
        return new Health(name, true, null, null);
    }

    /** Whether the loop's thread was started and has not ended. */
    boolean alive() {
        return started && endedAt == null;
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
        if (!started) {
            return true;
        }
        try {
            return stopped.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
