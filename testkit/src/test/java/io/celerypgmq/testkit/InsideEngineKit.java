package io.celerypgmq.testkit;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Marks the test classes that exist only to be run by a nested engine ({@code EngineTestKit}); they are disabled
 * when an IDE or a {@code -Dtest} pattern picks them up on their own.
 */
final class InsideEngineKit {
    private static final AtomicInteger RUNNING = new AtomicInteger();

    private InsideEngineKit() {}

    /** Condition for {@code @EnabledIf("io.celerypgmq.testkit.InsideEngineKit#active")}. */
    static boolean active() {
        return RUNNING.get() > 0;
    }

    static <T> T run(Supplier<T> execution) {
        RUNNING.incrementAndGet();
        try {
            return execution.get();
        } finally {
            RUNNING.decrementAndGet();
        }
    }
}
