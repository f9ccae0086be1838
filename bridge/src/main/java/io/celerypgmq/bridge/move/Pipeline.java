package io.celerypgmq.bridge.pump;

import io.celerypgmq.bridge.store.Futures;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The second half of a pipelined pump: one daemon thread, started on first use, that writes batch N while the pump's
 * own thread reads and plans batch N + 1 ({@link #overlap}). Writes run one at a time, in the order read.
 */
public final class WriterThread implements AutoCloseable {
    private final String name;
    private ExecutorService executor;

    public WriterThread(String name) {
        this.name = name;
    }

    /**
     * Reads up to {@code batches} batches on the caller's thread, each while the one before is written on this
     * thread, and returns when every batch read has been written. {@code read} returns null when there is nothing
     * more to take; {@code done} hears each write's result, in order, on the caller's thread. A failure on either
     * side is rethrown as it was, after the write in hand has ended: what a failed write leaves in the stores (its
     * batch, and the one read behind it) is redone as a crash's would be.
     */
    public <B, R> void overlap(int batches, Supplier<B> read, Function<B, R> write, Consumer<R> done) {
        overlap(batches, read, write, done, b -> {});
    }

    /**
     * As {@link #overlap(int, Supplier, Function, Consumer)}; {@code discard} is given a batch that was read but will
     * not be written because the write before it failed, on the caller's thread, before the failure is rethrown: the
     * place to end what the read opened (a transaction holding the batch's rows, say).
     */
    public <B, R> void overlap(
            int batches, Supplier<B> read, Function<B, R> write, Consumer<R> done, Consumer<B> discard) {
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

    private synchronized <R> Future<R> submit(java.util.concurrent.Callable<R> write) {
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
        return executor.submit(write);
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
