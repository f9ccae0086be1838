package io.celerypgmq.bridge.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PumpLoopTest {

    @Test
    void aStoreOutageOpensTheCircuitAndTheLoopRecoversWhenTheStoreIsBack() {
        AtomicBoolean storeDown = new AtomicBoolean(true);
        AtomicInteger calls = new AtomicInteger();
        PumpLoop loop = new PumpLoop(
                "test",
                () -> {
                    calls.incrementAndGet();
                    if (storeDown.get()) {
                        throw new IllegalStateException("connection refused");
                    }
                    return false;
                },
                5,
                PumpMetrics.NONE);
        Thread t = new Thread(loop);
        t.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> loop.circuit() == CircuitBreaker.State.OPEN);
            assertThat(loop.health(Duration.ofMinutes(1)).ok()).isFalse();
            int whileOpen = calls.get();
            storeDown.set(false);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> loop.health(Duration.ofMinutes(1)).ok());
            assertThat(loop.circuit()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(calls.get()).isGreaterThan(whileOpen);
        } finally {
            assertThat(loop.stop(5_000)).isTrue();
        }
    }
}
