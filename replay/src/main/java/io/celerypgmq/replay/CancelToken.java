package io.celerypgmq.replay;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Asks a running job to stop after the batches in hand (Ctrl-C, SIGTERM). The job checks it between batches and
 * while it waits, so a stop never leaves a batch half done beyond what a crash would.
 */
public final class CancelToken {
    private final CountDownLatch cancelled = new CountDownLatch(1);

    public void cancel() {
        cancelled.countDown();
    }

    public boolean isCancelled() {
        return cancelled.getCount() == 0;
    }

    /** Sleeps up to {@code millis}, waking early on cancel; true when cancelled. */
    public boolean sleep(long millis) {
        try {
            return cancelled.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
