package io.celerypgmq.rollout.lease;

import io.celerypgmq.config.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps trying to take, and then to renew, the rollout lease on a thread of its own (every third of its lifetime), so
 * a long drain on the driver's thread never lets it lapse. {@link #fence} is what the driver acts under: empty while
 * another instance holds the lease, or when the last renewal is older than the lease lasts (this instance cannot know
 * it still holds it).
 */
public final class LeaseKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final DriverLease lease;
    private final Duration ttl;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private volatile Fence fence;
    private volatile Instant renewedAt = Instant.MIN;

    public LeaseKeeper(DriverLease lease, Duration ttl, Clock clock) {
        this.lease = lease;
        this.ttl = ttl;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rollout-lease");
            t.setDaemon(true);
            return t;
        });
    }

    public LeaseKeeper start() {
        long every = Math.max(100, ttl.toMillis() / 3);
        timer.scheduleWithFixedDelay(this::renew, 0, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Takes or renews the lease now. */
    public synchronized void renew() {
        try {
            OptionalLong epoch = lease.acquireOrRenew();
            Fence before = fence;
            if (epoch.isPresent()) {
                fence = new Fence(lease.holder(), epoch.getAsLong());
                renewedAt = clock.instant();
                if (before == null || before.epoch() != epoch.getAsLong()) {
                    LOG.info("[rollout] {} drives rollouts now", fence);
                }
            } else {
                fence = null;
                if (before != null) {
                    LOG.warn("[rollout] {} lost the rollout lease to another instance", before);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("[rollout] could not renew the rollout lease: {}", Secrets.mask(String.valueOf(e.getMessage())));
        }
    }

    /** The fence to act under, while this instance holds the lease. */
    public Optional<Fence> fence() {
        Fence f = fence;
        if (f == null || clock.instant().isAfter(renewedAt.plus(ttl))) {
            return Optional.empty();
        }
        return Optional.of(f);
    }

    /** Stops renewing and lets the lease go, so another instance takes over at once. */
    @Override
    public synchronized void close() {
        timer.shutdownNow();
        Fence f = fence;
        fence = null;
        if (f != null) {
            try {
                lease.release(f.epoch());
                LOG.info("[rollout] {} released the rollout lease", f);
            } catch (RuntimeException e) {
                LOG.warn("[rollout] could not release the rollout lease (it expires on its own): {}", e.getMessage());
            }
        }
    }
}
