package io.celerypgmq.bridge.daemon;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CodecOptions;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pump.BatchPlanner;
import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.bridge.pump.ForwardPump;
import io.celerypgmq.bridge.pump.ForwardSource;
import io.celerypgmq.bridge.pump.HandOff;
import io.celerypgmq.bridge.pump.PayloadTemplate;
import io.celerypgmq.bridge.pump.PgmqPayloads;
import io.celerypgmq.bridge.pump.PumpMetrics;
import io.celerypgmq.bridge.pump.ReversePump;
import io.celerypgmq.bridge.redis.InFlightList;
import io.celerypgmq.bridge.route.RouteStore;
import io.celerypgmq.bridge.route.RouteWatcher;
import io.celerypgmq.bridge.store.PostgresPool;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.config.ConnectionSettings;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * The bridge process: one owner of its lifecycle. {@link #start} opens the stores, installs the schemas, loads the
 * routes and starts the forward pump, the reverse pump and the maintenance loop (heartbeat, orphan reclaim);
 * {@link #stop} stops intake, lets the batches in hand finish, then closes the pools, in that order.
 */
public final class BridgeDaemon implements AutoCloseable {
    public static final String IN_FLIGHT_PREFIX = "celery-pgmq:inflight:";
    private static final Logger LOG = LoggerFactory.getLogger(BridgeDaemon.class);
    private static final long STOP_TIMEOUT_MILLIS = 30_000;
    private static final int STARTUP_ATTEMPTS = 6;

    private final BridgeSettings settings;
    private final HikariDataSource db;
    private final JedisPooled redis;
    private final RouteWatcher routes;
    private final Heartbeats heartbeats;
    private final List<PumpLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final ForwardPump forward;
    private ReversePump reverse;

    private BridgeDaemon(
            ConnectionSettings connections,
            BridgeSettings settings,
            Map<String, PayloadTemplate> templates,
            Clock clock,
            PumpMetrics metrics) {
        this.settings = settings;
        this.db = PostgresPool.open(connections.database(), connections.databasePoolSize(), "bridge");
        JedisPooled r = null;
        try {
            r = RedisConnections.open(connections.redis());
            PgmqInstaller.ensure(db);
            BridgeSchema.install(db);
        } catch (RuntimeException e) {
            if (r != null) {
                r.close();
            }
            db.close();
            throw e;
        }
        this.redis = r;
        this.routes = RouteWatcher.start(new RouteStore(db));
        this.heartbeats = new Heartbeats(db, settings.instanceId());
        heartbeats.register(host(), ProcessHandle.current().pid(), IN_FLIGHT_PREFIX + settings.instanceId());

        PriorityKeys keys =
                new PriorityKeys(settings.prioritySteps(), settings.prioritySeparator(), settings.globalKeyPrefix());
        CeleryCodec codec = new CeleryCodec(CodecOptions.defaults().withPriorityKeys(keys));
        PgmqClient pgmq = new PgmqClient(db);
        Map<String, String> targets = new LinkedHashMap<>();
        settings.forward().forEach(f -> targets.put(f.source(), f.celeryTarget()));
        BatchPlanner planner = new BatchPlanner(
                codec,
                keys,
                targets,
                new PgmqPayloads(templates, settings.keepEnvelope()),
                settings.expiresPolicy(),
                settings.priorityPolicy());
        HandOff handOff = new HandOff(db, pgmq, settings.instanceId(), clock);
        List<String> sources = keys.consumptionOrder(
                settings.forward().stream().map(ForwardSource::source).toList());
        this.forward = new ForwardPump(
                new InFlightList(redis, IN_FLIGHT_PREFIX + settings.instanceId() + ":forward"),
                sources,
                settings.batchSize(),
                ForwardPump.BATCHES_PER_PASS,
                planner,
                handOff,
                routes::current,
                clock,
                metrics);
        ForwardPump recovery = new ForwardPump(
                new InFlightList(redis, IN_FLIGHT_PREFIX + settings.instanceId() + ":recovery"),
                List.of(),
                settings.batchSize(),
                planner,
                handOff,
                routes::current,
                clock,
                metrics);
        OrphanReclaimer reclaimer = new OrphanReclaimer(redis, heartbeats, settings, recovery);

        if (!settings.forward().isEmpty()) {
            loops.add(new PumpLoop("forward", () -> !forward.runOnce().idle(), settings.idleWaitMillis(), metrics));
        }
        if (!settings.reverse().isEmpty()) {
            reverse = new ReversePump(pgmq, db, redis, codec, keys, templates, settings, metrics);
            loops.add(new PumpLoop("reverse", reverse::runOnce, settings.idleWaitMillis() * 4L, metrics));
        }
        loops.add(new PumpLoop("maintenance", reclaimer::runOnce, 5_000, metrics));
    }

    /**
     * Opens the stores and starts every pump. A store that is down at start-up (restarting, failing over) is retried
     * with backoff for about half a minute before giving up with the last failure.
     */
    public static BridgeDaemon start(
            ConnectionSettings connections,
            BridgeSettings settings,
            Map<String, PayloadTemplate> templates,
            Clock clock,
            PumpMetrics metrics) {
        Retry retry = Retry.of(
                "bridge-start",
                RetryConfig.custom()
                        .maxAttempts(STARTUP_ATTEMPTS)
                        .intervalFunction(IntervalFunction.ofExponentialBackoff(1_000, 2.0, 8_000))
                        .retryOnException(BridgeDaemon::transientAtStartup)
                        .build());
        retry.getEventPublisher()
                .onRetry(e -> LOG.warn(
                        "[bridge] start-up attempt {} failed, retrying in {}: {}",
                        e.getNumberOfRetryAttempts(),
                        e.getWaitInterval(),
                        String.valueOf(e.getLastThrowable())));
        BridgeDaemon daemon = Retry.decorateSupplier(
                        retry, () -> new BridgeDaemon(connections, settings, templates, clock, metrics))
                .get();
        for (PumpLoop loop : daemon.loops) {
            Thread t = new Thread(loop, "bridge-" + daemon.threads.size());
            t.start();
            daemon.threads.add(t);
        }
        LOG.info(
                "[bridge] instance {} started: forward {} → celery {}, reverse {}, batch {}",
                settings.instanceId(),
                settings.forward().stream().map(ForwardSource::source).toList(),
                settings.forward().stream().map(ForwardSource::celeryTarget).toList(),
                settings.reverse().stream()
                        .map(r -> r.pgmqQueue() + "→" + r.celeryQueue())
                        .toList(),
                settings.batchSize());
        return daemon;
    }

    public String instanceId() {
        return settings.instanceId();
    }

    /** Both stores answered the last pass of every pump. */
    public boolean ready() {
        return !stopped.get() && loops.stream().noneMatch(PumpLoop::degraded);
    }

    public RouteWatcher routes() {
        return routes;
    }

    public HikariDataSource dataSource() {
        return db;
    }

    public JedisPooled redis() {
        return redis;
    }

    /** Stops intake, lets every pump finish its batch, deregisters, closes the pools. Idempotent. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        LOG.info("[bridge] instance {} stopping: finishing the batches in hand", settings.instanceId());
        for (PumpLoop loop : loops) {
            if (!loop.stop(STOP_TIMEOUT_MILLIS)) {
                LOG.warn(
                        "[bridge] a pump did not stop within {} ms; its batch stays in flight for redo",
                        STOP_TIMEOUT_MILLIS);
            }
        }
        routes.close();
        forward.close();
        if (reverse != null) {
            reverse.close();
        }
        try {
            if (forward.inFlight().size() == 0) {
                heartbeats.deregister();
            }
        } catch (RuntimeException e) {
            LOG.warn("[bridge] could not deregister {}: {}", settings.instanceId(), e.toString());
        }
        redis.close();
        db.close();
        LOG.info("[bridge] instance {} stopped", settings.instanceId());
    }

    @Override
    public void close() {
        stop();
    }

    /** Store outages are worth waiting for at start-up; a bad configuration or an old pgmq is not. */
    static boolean transientAtStartup(Throwable error) {
        return !(error instanceof io.celerypgmq.config.ConfigException
                || error instanceof io.celerypgmq.bridge.pgmq.PgmqVersionException
                || error instanceof IllegalArgumentException);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
