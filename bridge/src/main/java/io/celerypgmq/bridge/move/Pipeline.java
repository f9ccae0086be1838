package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.store.Futures;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one place batches overlap: the mover's own thread reads (claims or locks) and prepares batch N + 1 while this
 * pipeline's writer thread writes batch N. Writes run one at a time, in the order read, so a batch is always finished
 * after the one before it. The writer thread is started on first use and owned here: {@link #close} ends it.
 */
final class Pipeline implements AutoCloseable {
    private final String name;
    private ExecutorService executor;

    Pipeline(String name) {
        this.name = name;
    }

    /**
     * Reads up to {@code batches} batches on the caller's thread, each while the one before is written, and returns
     * when every batch read has been written. {@code read} returns null when there is nothing more to take; {@code done}
     * hears each write's result, in order, on the caller's thread. A failure on either side is rethrown as it was,
     * after the write in hand has ended; {@code discard} is given a batch that was read but will not be written, before
     * the failure is rethrown: the place to end what the read opened (a transaction holding its rows, say). What a
     * failed write leaves in the stores is redone as a crash's would be.
     */
    <B, R> void overlap(int batches, Supplier<B> read, Function<B, R> write, Consumer<R> done, Consumer<B> discard) {
        Future<R> writing = null;
        try {
            for (int i = 0; i < batches; i++) {
                B next = read.get();
                if (writing != null) {
                    Future<R> previous = writing;
                    writing = null;
                    try {
                        done.accept(Futures.await(previous));
                    } catch (RuntimeException | Error e) {
                        if (next != null) {
                            discard.accept(next);
                        }
                        throw e;
                    }
                }
                if (next == null) {
                    return;
                }
                try {
                    writing = submit(() -> write.apply(next));
                } catch (RuntimeException | Error e) {
                    discard.accept(next);
                    throw e;
                }
            }
            if (writing != null) {
                Future<R> last = writing;
                writing = null;
                done.accept(Futures.await(last));
            }
        } finally {
            if (writing != null) {
                Futures.settle(writing);
            }
        }
    }

    private synchronized <R> Future<R> submit(Callable<R> write) {
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
        return executor.submit(write);
    }

    /** Ends the writer thread once the write in hand (if any) is done; call between passes. */
    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }
}
