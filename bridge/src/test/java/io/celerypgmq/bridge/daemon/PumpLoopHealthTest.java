package io.celerypgmq.bridge.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.celerypgmq.bridge.ledger.LedgerException;
import io.celerypgmq.bridge.store.StoreUnavailableException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** DESIGN invariant 10 for one pump loop: nothing ends it quietly, and its health says what is wrong and since when. */
class PumpLoopHealthTest {
    private static final Duration STALL = Duration.ofSeconds(30);

    /** A clock the test moves by hand. */
    static final class SettableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-06T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static Thread run(PumpLoop loop) {
        Thread t = new Thread(loop, "test-loop");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void anErrorThrownByAPassIsCaughtAndTheLoopGoesOn() {
        AtomicInteger calls = new AtomicInteger();
        PumpLoop loop = new PumpLoop(
                "forward",
                () -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new StackOverflowError("a decoder recursed too deep");
                    }
                    return false;
                },
                5,
                PumpMetrics.NONE,
                Clock.systemUTC(),
                (pump, e) -> {
                    throw new AssertionError("not fatal: " + e);
                });
        Thread t = run(loop);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 3);
            assertThat(t.isAlive()).isTrue();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> loop.health(STALL).ok());
        } finally {
            assertThat(loop.stop(5_000)).isTrue();
        }
    }

    @Test
    void anOutOfMemoryErrorIsHandedToTheFatalHandlerThatEndsTheProcessWithCode4() throws Exception {
        AtomicReference<Throwable> fatal = new AtomicReference<>();
        CountDownLatch called = new CountDownLatch(1);
        PumpLoop loop = new PumpLoop(
                "forward",
                () -> {
                    throw new OutOfMemoryError("Java heap space");
                },
                5,
                PumpMetrics.NONE,
                Clock.systemUTC(),
                (pump, e) -> {
                    fatal.set(e);
                    called.countDown();
                });
        Thread t = run(loop);
        assertThat(called.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        t.join(5_000);
        assertThat(fatal.get()).isInstanceOf(OutOfMemoryError.class);
        assertThat(t.isAlive()).isFalse();
        assertThat(loop.health(STALL).ok()).isFalse();
        assertThat(loop.health(STALL).why()).isEqualTo("the pump has stopped");
    }

    @Test
    void aPassRunningLongerThanTheBoundMakesThePumpUnhealthyAndSaysSinceWhen() throws Exception {
        SettableClock clock = new SettableClock();
        CountDownLatch inPass = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PumpLoop loop = new PumpLoop(
                "forward",
                () -> {
                    inPass.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return false;
                },
                5,
                PumpMetrics.NONE,
                clock,
                PumpLoop.Fatal.EXIT);
        run(loop);
        try {
            assertThat(inPass.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            Instant began = clock.instant();
            clock.advance(Duration.ofSeconds(29));
            assertThat(loop.health(STALL).ok()).isTrue();
            clock.advance(Duration.ofSeconds(2));
            PumpLoop.Health health = loop.health(STALL);
            assertThat(health.ok()).isFalse();
            assertThat(health.since()).isEqualTo(began);
            assertThat(health.why()).startsWith("a pass has been running for 31 s");
        } finally {
            release.countDown();
            loop.stop(5_000);
        }
    }

    @Test
    void aFailingPassSaysWhetherAStoreIsUnreachableOrABatchKeepsFailing() {
        SettableClock clock = new SettableClock();
        AtomicReference<RuntimeException> failure = new AtomicReference<>(
                new StoreUnavailableException("Redis", "redis://127.0.0.1:1", null, new java.net.ConnectException()));
        PumpLoop loop = new PumpLoop(
                "forward",
                () -> {
                    throw failure.get();
                },
                5,
                PumpMetrics.NONE,
                clock,
                PumpLoop.Fatal.EXIT);
        run(loop);
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !loop.health(STALL).ok());
            assertThat(loop.health(STALL).why()).startsWith("a store is unreachable: ");
            failure.set(new LedgerException(
                    "handing a batch of 3 messages to pgmq", new SQLException("deadlock detected", "40P01")));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> loop.health(STALL).why().startsWith("a batch keeps failing: "));
            assertThat(loop.health(STALL).why()).contains("40P01").contains("passes in a row");
        } finally {
            loop.stop(5_000);
        }
    }
}
