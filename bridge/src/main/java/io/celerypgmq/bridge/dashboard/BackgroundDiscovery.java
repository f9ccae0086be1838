package io.celerypgmq.bridge.dashboard;

import io.celerypgmq.config.Secrets;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link QueueDiscovery}'s SCANs off the page's request: a request takes the latest snapshot and starts the next
 * step on a worker thread, unless one is running. So the scan goes on only while someone looks (at most one step per
 * computed state, whatever the number of open pages), and a request never waits for Redis to walk its keys, except
 * the very first, which takes one bounded step so a small database shows its queues at once. The worker thread ends
 * when no page has asked for a while.
 */
final class BackgroundDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundDiscovery.class);

    private final QueueDiscovery discovery;
    private final ThreadPoolExecutor worker;
    private final AtomicBoolean stepping = new AtomicBoolean();
    private volatile QueueDiscovery.Snapshot latest;

    BackgroundDiscovery(QueueDiscovery discovery) {
        this.discovery = discovery;
        this.worker = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "dashboard-queue-discovery");
            t.setDaemon(true);
            return t;
        });
    }

    /** What is known; the first call takes one step itself, later ones start the next step in the background. */
    QueueDiscovery.Snapshot latest(Instant now) {
        if (latest == null && stepping.compareAndSet(false, true)) {
            try {
                latest = discovery.refresh(now);
                return latest;
            } finally {
                stepping.set(false);
            }
        }
        if (stepping.compareAndSet(false, true)) {
            try {
                worker.execute(() -> step(now));
            } catch (RejectedExecutionException busy) {
                stepping.set(false);
            }
        }
        QueueDiscovery.Snapshot known = latest;
        if (known == null) {
            throw new IllegalStateException("the Celery queues are still being looked for");
        }
        return known;
    }

    private void step(Instant now) {
        try {
            latest = discovery.refresh(now);
        } catch (RuntimeException e) {
            LOG.warn("[dashboard] looking for Celery queues failed: {}", Secrets.mask(String.valueOf(e.getMessage())));
        } finally {
            stepping.set(false);
        }
    }
}
