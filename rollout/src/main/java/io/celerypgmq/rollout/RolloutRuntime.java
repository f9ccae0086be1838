package io.celerypgmq.rollout;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.daemon.BridgeDaemon;
import io.celerypgmq.bridge.daemon.MicrometerPumpMetrics;
import io.celerypgmq.bridge.daemon.PumpLoop;
import io.celerypgmq.bridge.http.BridgeHttpServer;
import io.celerypgmq.bridge.route.RouteTable;
import io.celerypgmq.bridge.status.StatusBoard;
import io.celerypgmq.bridge.status.StatusEndpoint;
import io.celerypgmq.bridge.status.StatusMeters;
import io.celerypgmq.bridge.status.StatusSnapshot;
import io.celerypgmq.bridge.store.PostgresPool;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.ConnectionSettings;
import io.celerypgmq.replay.CancelToken;
import io.celerypgmq.rollout.lease.LeaseKeeper;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * What the rollout module runs inside a bridge process: the lease keeper, the driver loop (a {@link PumpLoop} named
 * {@code rollout}, so a failing pass is counted, backed off and shown like a pump's), and the status refresher that
 * feeds {@code /api/status} and the status gauges. {@link #close} stops the loop after its pass, then releases the
 * lease so another instance takes over at once; call it before the bridge closes its pools.
 */
public final class RolloutRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutRuntime.class);
    private static final long STOP_TIMEOUT_MILLIS = 30_000;
    /** The driver (verifier, or a rollback's pipelined drain and its job lock), the refresher and the lease keeper. */
    static final int POOL_SIZE = 5;

    private final RolloutParts parts;
    private final PumpLoop loop;
    private final Thread thread;
    private final CancelToken cancel;
    private final StatusMeters meters;
    private final ScheduledExecutorService refresher;
    private final AtomicReference<StatusSnapshot> latest = new AtomicReference<>();
    private HikariDataSource ownedPool;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RolloutRuntime(RolloutParts parts, MeterRegistry registry) {
        this.parts = parts;
        this.cancel = parts.cancel();
        this.loop = new PumpLoop(
                "rollout",
                parts.driver()::runOnce,
                parts.settings().checkInterval().toMillis(),
                new MicrometerPumpMetrics(registry));
        this.thread = new Thread(loop, "rollout-driver");
        this.meters = new StatusMeters(registry);
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "status-refresh");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the rollout driver and the status refresher beside a running bridge daemon, on a small Postgres pool of
     * their own (a rollback's drain never takes the pumps' connections) and the daemon's Redis pool and routes.
     */
    public static RolloutRuntime start(ConfigSource source, BridgeDaemon daemon, MeterRegistry registry) {
        HikariDataSource pool =
                PostgresPool.open(ConnectionSettings.from(source).database(), POOL_SIZE, "rollout");
        try {
            RolloutRuntime runtime = start(
                    source,
                    pool,
                    daemon.redis(),
                    daemon.routes()::current,
                    daemon.instanceId(),
                    registry,
                    Clock.systemUTC());
            runtime.ownedPool = pool;
            return runtime;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    public static RolloutRuntime start(
            ConfigSource source,
            DataSource db,
            UnifiedJedis redis,
            Supplier<RouteTable> routes,
            String instanceId,
            MeterRegistry registry,
            Clock clock) {
        String holder = instanceId + "#" + UUID.randomUUID().toString().substring(0, 8);
        RolloutRuntime runtime =
                new RolloutRuntime(RolloutParts.assemble(source, db, redis, routes, holder, clock), registry);
        runtime.parts.lease().start();
        runtime.thread.start();
        long every = Math.max(1000, runtime.parts.settings().checkInterval().toMillis());
        runtime.refresher.scheduleWithFixedDelay(runtime::refresh, 0, every, TimeUnit.MILLISECONDS);
        LOG.info(
                "[rollout] instance {} runs the rollout driver as {} (checks every {} ms, lease {} s)",
                instanceId,
                holder,
                runtime.parts.settings().checkInterval().toMillis(),
                runtime.parts.settings().lease().toSeconds());
        return runtime;
    }

    /** Serves {@code /api/status} (the dashboard's status panel) from the latest refreshed snapshot. */
    public void serve(BridgeHttpServer http) {
        StatusEndpoint.install(http, latest::get);
    }

    public StatusBoard board() {
        return parts.board();
    }

    public LeaseKeeper lease() {
        return parts.lease();
    }

    /** Whether the driver loop's last pass went through. */
    public boolean degraded() {
        return loop.degraded();
    }

    private void refresh() {
        try {
            StatusSnapshot s = parts.board().read();
            latest.set(s);
            meters.update(s);
        } catch (RuntimeException e) {
            LOG.warn("[status] could not refresh the status: {}", e.toString());
        }
    }

    /** Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        cancel.cancel();
        if (!loop.stop(STOP_TIMEOUT_MILLIS)) {
            LOG.warn("[rollout] the driver did not stop within {} ms", STOP_TIMEOUT_MILLIS);
        }
        refresher.shutdownNow();
        parts.lease().close();
        parts.close();
        if (ownedPool != null) {
            ownedPool.close();
        }
    }
}
