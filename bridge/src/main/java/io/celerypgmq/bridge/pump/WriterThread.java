package io.celerypgmq.bridge.pump;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The second half of a pipelined pump: one daemon thread, started on first use, that writes batch N while the pump's
 * own thread reads and plans batch N + 1. Writes run one at a time, in the order submitted.
 */
public final class WriterThread implements AutoCloseable {
    private final String name;
    private ExecutorService executor;

    public WriterThread(String name) {
        this.name = name;
    }

    public synchronized <T> Future<T> submit(Callable<T> write) {
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
        return executor.submit(write);
    }

    /**
     * The write's outcome, its failure rethrown as it was. An interrupt does not cut the wait short: the batch is in
     * the stores' hands, so its outcome is waited for and the interrupt passed on after.
     */
    public static <T> T await(Future<T> write) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return write.get();
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

    /** Waits for a write whose outcome no longer matters (the caller is failing with an error of its own). */
    public static void settle(Future<?> write) {
        try {
            await(write);
        } catch (RuntimeException | Error ignored) {
            // the caller's failure is the one reported; what this write left is redone like a crash's
        }
    }

    /** Stops the thread; call between passes. */
    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdown();
            executor = null;
        }
    }
}
