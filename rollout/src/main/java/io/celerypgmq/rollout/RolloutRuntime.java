package io.celerypgmq.rollout;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.daemon.BridgeDaemon;
import io.celerypgmq.bridge.http.BridgeHttpServer;
import io.celerypgmq.bridge.status.StatusEndpoint;
import io.celerypgmq.bridge.status.StatusMeters;
import io.celerypgmq.bridge.status.StatusSnapshot;
import io.celerypgmq.bridge.store.PostgresPool;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.ConnectionSettings;
import io.celerypgmq.rollout.lease.LeaseKeeper;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the rollout module runs inside a bridge process, on the daemon's hooks: the driver as the daemon's loop
 * {@code rollout} (started, watched for {@code /ready} and stopped with the pumps) and the status refresher as its
 * periodic job {@code status-refresh}, feeding {@code /api/status} and the status gauges. The parts are assembled when
 * the daemon has opened its stores; the driver gets a small Postgres pool of its own (a rollback's drain never takes
 * the pumps' connections) and a lease holder name unique to this process. {@link #close} releases the lease so another
 * instance takes over at once; call it after the daemon stopped.
 */
public final class RolloutRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutRuntime.class);
    /** The driver (verifier, or a rollback's pipelined drain and its job lock), the refresher and the lease keeper. */
    static final int POOL_SIZE = 5;

    private final ConfigSource source;
    private final RolloutSettings settings;
    private final StatusMeters meters;
    private final Clock clock;
    private final AtomicReference<StatusSnapshot> latest = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile RolloutParts parts;
    private HikariDataSource pool;

    private RolloutRuntime(ConfigSource source, MeterRegistry registry, Clock clock) {
        this.source = source;
        this.settings = RolloutSettings.from(source);
        this.meters = new StatusMeters(registry);
        this.clock = clock;
    }

    /** Adds the rollout driver and the status refresher to a daemon that has not started yet. */
    public static RolloutRuntime attach(ConfigSource source, BridgeDaemon daemon, MeterRegistry registry) {
        RolloutRuntime runtime = new RolloutRuntime(source, registry, Clock.systemUTC());
        daemon.owning(runtime);
        long every = runtime.settings.checkInterval().toMillis();
        daemon.loop("rollout", every, d -> runtime.open(d).driver()::runOnce);
        daemon.every(
                "status-refresh",
                Duration.ofSeconds(1),
                Duration.ofMillis(Math.max(1000, every)),
                d -> runtime::refresh);
        return runtime;
    }

    private synchronized RolloutParts open(BridgeDaemon daemon) {
        if (parts == null) {
            String holder =
                    daemon.instanceId() + "#" + UUID.randomUUID().toString().substring(0, 8);
            pool = PostgresPool.open(ConnectionSettings.from(source).database(), POOL_SIZE, "rollout");
            try {
                parts = RolloutParts.assemble(source, pool, daemon.redis(), daemon.routes()::current, holder, clock);
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
            parts.lease().start();
            serve(daemon.http());
            LOG.info(
                    "[rollout] instance {} runs the rollout driver as {} (checks every {} ms, lease {} s)",
                    daemon.instanceId(),
                    holder,
                    settings.checkInterval().toMillis(),
                    settings.lease().toSeconds());
        }
        return parts;
    }

    /** Serves {@code /api/status} (the dashboard's status panel) from the latest refreshed snapshot. */
    public void serve(BridgeHttpServer http) {
        if (http != null) {
            StatusEndpoint.install(http, latest::get);
        }
    }

    /** The lease keeper, once the daemon has started (null before). */
    public LeaseKeeper lease() {
        RolloutParts p = parts;
        return p == null ? null : p.lease();
    }

    private void refresh() {
        RolloutParts p = parts;
        if (p == null) {
            return;
        }
        StatusSnapshot s = p.board().read();
        latest.set(s);
        meters.update(s);
    }

    /** Stops a rollback's drain at its next batch, releases the lease and closes the pool. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed.getAndSet(true) || parts == null) {
            return;
        }
        parts.cancel().cancel();
        parts.lease().close();
        parts.close();
        pool.close();
    }
}
