package io.celerypgmq.bridge.store;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waiting for work handed to another thread whose outcome decides what happens to a batch in the stores: a write to
 * Postgres, a push to Redis. An interrupt does not cut the wait short (the work is in the stores' hands), so it is
 * passed on once the work has ended.
 */
public final class Futures {
    private Futures() {}

    /** The work's result, its failure rethrown as it was. */
    public static <T> T await(Future<T> work) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return work.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for work whose outcome no longer matters: the caller is failing with an error of its own. */
    public static void settle(Future<?> work) {
        try {
            await(work);
        } catch (RuntimeException | Error ignored) {
            // the caller's failure is the one reported
        }
    }
}
