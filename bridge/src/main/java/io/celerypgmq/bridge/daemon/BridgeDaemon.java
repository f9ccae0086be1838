package io.celerypgmq.bridge.daemon;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CodecOptions;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.dashboard.Dashboard;
import io.celerypgmq.bridge.dashboard.DashboardOptions;
import io.celerypgmq.bridge.http.BridgeHttpServer;
import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.move.CeleryDelivery;
import io.celerypgmq.bridge.move.Delivery;
import io.celerypgmq.bridge.move.ForwardIntake;
import io.celerypgmq.bridge.move.ForwardMover;
import io.celerypgmq.bridge.move.ForwardRules;
import io.celerypgmq.bridge.move.InFlightList;
import io.celerypgmq.bridge.move.MessageRebuilder;
import io.celerypgmq.bridge.move.ReverseMover;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.bridge.pump.ForwardSource;
import io.celerypgmq.bridge.pump.PayloadTemplate;
import io.celerypgmq.bridge.pump.PgmqPayloads;
import io.celerypgmq.bridge.pump.ReverseSource;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * The bridge process, and the one owner of its lifecycle. The constructor only wires settings; {@link #start} opens
 * the stores in order (Postgres, Redis, schemas), then the route watcher, the pumps (forward, reverse, maintenance),
 * the HTTP face and dashboard, and whatever periodic jobs or loops were added before it, closing everything it opened
 * if a later step fails. {@link #stop} undoes it in reverse order: the HTTP face and jobs, then the pumps, which
 * finish the batches in hand, then their threads, the route watcher and the pools. Every thread and pool is owned
 * here.
 */
public final class BridgeDaemon implements AutoCloseable {
    public static final String IN_FLIGHT_PREFIX = "celery-pgmq:inflight:";
    /** A pump that has not ended a pass well for this long makes {@code /ready} false. */
    public static final Duration STALL_AFTER = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(BridgeDaemon.class);
    private static final long STOP_TIMEOUT_MILLIS = 30_000;
    /** Start-up attempts while a store is down, backing off 1, 2, 4, 8, 8 s: about half a minute. */
    public static final int STARTUP_ATTEMPTS = 6;

    private final ConnectionSettings connections;
    private final BridgeSettings settings;
    private final Map<String, PayloadTemplate> templates;
    private final Clock clock;
    private final PumpMetrics metrics;
    private final List<Job> jobs = new ArrayList<>();
    private final List<Extra> extras = new ArrayList<>();
    private final List<AutoCloseable> owned = new ArrayList<>();
    private String httpHost;
    private Supplier<String> scrape;
    private Function<BridgeDaemon, DashboardOptions> dashboard;
    private Duration stallAfter = STALL_AFTER;
    private int startupAttempts = STARTUP_ATTEMPTS;

    private final List<PumpLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<AutoCloseable> movers = new ArrayList<>();
    private HikariDataSource db;
    private JedisPooled redis;
    private RouteWatcher routes;
    private Heartbeats heartbeats;
    private ForwardMover forward;
    private ExecutorService pushes;
    private ScheduledExecutorService scheduler;
    private BridgeHttpServer http;
    private boolean started;
    private volatile boolean stopped;
    private volatile boolean pumping;

    private record Job(String name, Duration initialDelay, Duration period, Function<BridgeDaemon, Runnable> job) {}

    private record Extra(String name, long idleWaitMillis, Function<BridgeDaemon, PumpLoop.Pass> pass) {}

    /** Wires the daemon; nothing is opened until {@link #start}. */
    public BridgeDaemon(
            ConnectionSettings connections,
            BridgeSettings settings,
            Map<String, PayloadTemplate> templates,
            Clock clock,
            PumpMetrics metrics) {
        this.connections = connections;
        this.settings = settings;
        this.templates = Map.copyOf(templates);
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Wires and starts a daemon without HTTP face or extras (tools, tests, benchmarks). */
    public static BridgeDaemon start(
            ConnectionSettings connections,
            BridgeSettings settings,
            Map<String, PayloadTemplate> templates,
            Clock clock,
            PumpMetrics metrics) {
        BridgeDaemon daemon = new BridgeDaemon(connections, settings, templates, clock, metrics);
        daemon.start();
        return daemon;
    }

    /**
     * Serves {@code /metrics} ({@code scrape}), {@code /health} and {@code /ready} on {@code host} and the configured
     * port (none when it is 0), and the dashboard with the settings {@code dashboard} makes once the stores are open
     * (null: no dashboard). Call before {@link #start}.
     */
    public BridgeDaemon serveHttp(
            String host, Supplier<String> scrape, Function<BridgeDaemon, DashboardOptions> dashboard) {
        requireNotStarted();
        this.httpHost = host;
        this.scrape = scrape;
        this.dashboard = dashboard;
        return this;
    }

    /** Runs {@code job} (made once the stores are open) every {@code period}; failures are logged. Before start. */
    public BridgeDaemon every(
            String name, Duration initialDelay, Duration period, Function<BridgeDaemon, Runnable> job) {
        requireNotStarted();
        jobs.add(new Job(name, initialDelay, period, job));
        return this;
    }

    /** Runs another loop beside the pumps, with their care for failures and health. Before start. */
    public BridgeDaemon loop(String name, long idleWaitMillis, Function<BridgeDaemon, PumpLoop.Pass> pass) {
        requireNotStarted();
        extras.add(new Extra(name, idleWaitMillis, pass));
        return this;
    }

    /** How long a pass may run before {@code /ready} calls its pump stuck (default {@link #STALL_AFTER}). */
    public BridgeDaemon stallAfter(Duration value) {
        requireNotStarted();
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("the stall bound must be positive, was " + value);
        }
        this.stallAfter = value;
        return this;
    }

    /** How often start-up tries the stores before giving up (default {@link #STARTUP_ATTEMPTS}). */
    public BridgeDaemon startupAttempts(int value) {
        requireNotStarted();
        if (value < 1) {
            throw new IllegalArgumentException("start-up attempts must be at least 1, was " + value);
        }
        this.startupAttempts = value;
        return this;
    }

    /**
     * Hands {@code resource} to the daemon: closed when it stops, after its loops and jobs (which may use it) and before
     * its own pools; also when a start fails. Before start.
     */
    public BridgeDaemon owning(AutoCloseable resource) {
        requireNotStarted();
        owned.add(resource);
        return this;
    }

    private void requireNotStarted() {
        if (started) {
            throw new IllegalStateException("the bridge daemon is started already");
        }
    }

    /**
     * Opens the stores and starts every part. A store that is down at start-up (restarting, failing over) is retried
     * with backoff for about half a minute before giving up with the last failure; each failed attempt closes what it
     * opened. Refuses a second call.
     */
    public synchronized void start() {
        requireNotStarted();
        started = true;
        try {
            openStores();
            routes = RouteWatcher.start(new RouteStore(db));
            heartbeats = new Heartbeats(db, settings.instanceId());
            heartbeats.register(host(), ProcessHandle.current().pid(), IN_FLIGHT_PREFIX + settings.instanceId());
            startHttp();
            startPumps();
            startJobs();
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
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
    }

    private void openStores() {
        Retry retry = Retry.of(
                "bridge-start",
                RetryConfig.custom()
                        .maxAttempts(startupAttempts)
                        .intervalFunction(IntervalFunction.ofExponentialBackoff(1_000, 2.0, 8_000))
                        .retryOnException(BridgeDaemon::transientAtStartup)
                        .build());
        retry.getEventPublisher()
                .onRetry(e -> LOG.warn(
                        "[bridge] start-up attempt {} failed, retrying in {}: {}",
                        e.getNumberOfRetryAttempts(),
                        e.getWaitInterval(),
                        String.valueOf(e.getLastThrowable())));
        Retry.decorateRunnable(retry, this::openStoresOnce).run();
    }

    /** One attempt: Postgres, then Redis, then the schemas; what it opened is closed again if a step fails. */
    private void openStoresOnce() {
        HikariDataSource pool = PostgresPool.open(connections.database(), connections.databasePoolSize(), "bridge");
        JedisPooled r = null;
        try {
            r = RedisConnections.open(connections.redis());
            PgmqInstaller.ensure(pool);
            BridgeSchema.install(pool);
        } catch (RuntimeException | Error e) {
            if (r != null) {
                r.close();
            }
            pool.close();
            throw e;
        }
        db = pool;
        redis = r;
    }

    private void startPumps() {
        PriorityKeys keys =
                new PriorityKeys(settings.prioritySteps(), settings.prioritySeparator(), settings.globalKeyPrefix());
        CeleryCodec codec = new CeleryCodec(CodecOptions.defaults().withPriorityKeys(keys));
        Map<String, String> targets = new LinkedHashMap<>();
        settings.forward().forEach(f -> targets.put(f.source(), f.celeryTarget()));
        ForwardRules rules = ForwardRules.bridge(
                codec,
                keys,
                targets,
                new PgmqPayloads(templates, settings.keepEnvelope()),
                settings.expiresPolicy(),
                settings.priorityPolicy());
        forward = mover(":forward", rules);
        ForwardMover recovery = mover(":recovery", rules);
        List<String> sources = keys.consumptionOrder(
                settings.forward().stream().map(ForwardSource::source).toList());
        ForwardIntake claim = (inFlight, max) -> inFlight.claim(sources, max);
        if (!settings.forward().isEmpty()) {
            loops.add(new PumpLoop(
                    "forward",
                    () -> !forward.runOnce(claim, ForwardMover.BATCHES_PER_PASS).idle(),
                    settings.idleWaitMillis(),
                    metrics));
        }
        if (!settings.reverse().isEmpty()) {
            loops.add(new PumpLoop("reverse", reversePass(codec, keys), settings.idleWaitMillis() * 4L, metrics));
        }
        OrphanReclaimer reclaimer = new OrphanReclaimer(redis, heartbeats, settings, recovery);
        loops.add(new PumpLoop("maintenance", reclaimer::runOnce, 5_000, metrics));
        for (Extra e : extras) {
            loops.add(new PumpLoop(e.name(), e.pass().apply(this), e.idleWaitMillis(), metrics));
        }
        for (PumpLoop loop : loops) {
            Thread t = new Thread(loop, "bridge-" + loop.name());
            threads.add(t);
            t.start();
        }
        pumping = true;
    }

    private ForwardMover mover(String pump, ForwardRules rules) {
        ForwardMover m = new ForwardMover(
                db,
                redis,
                new InFlightList(redis, IN_FLIGHT_PREFIX + settings.instanceId() + pump),
                rules,
                routes::current,
                settings.batchSize(),
                settings.instanceId(),
                clock,
                metrics);
        movers.add(m);
        return m;
    }

    /** One reverse pass: up to {@link ForwardMover#BATCHES_PER_PASS} batches of every reverse source. */
    private PumpLoop.Pass reversePass(CeleryCodec codec, PriorityKeys keys) {
        pushes = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "once-only-push");
            t.setDaemon(true);
            return t;
        });
        ReverseMover reverse =
                new ReverseMover("bridge", db, ReverseMover.Takeable.VISIBLE, true, settings.batchSize(), metrics);
        movers.add(reverse);
        MessageRebuilder rebuilder = new MessageRebuilder(codec, templates);
        Map<ReverseSource, Delivery> deliveries = new LinkedHashMap<>();
        for (ReverseSource source : settings.reverse()) {
            deliveries.put(source, new CeleryDelivery(db, redis, rebuilder, keys, m -> source.celeryQueue(), pushes));
        }
        return () -> {
            boolean any = false;
            for (Map.Entry<ReverseSource, Delivery> e : deliveries.entrySet()) {
                any |= reverse.drain(
                                QueueName.of(e.getKey().pgmqQueue()),
                                ForwardMover.BATCHES_PER_PASS,
                                e.getValue(),
                                ReverseMover.Selection.ALL,
                                ReverseMover.TxHook.NONE)
                        > 0;
            }
            return any;
        };
    }

    /** The HTTP face first, so loops added beside the pumps can serve on it; {@code /ready} says "starting" meanwhile. */
    private void startHttp() {
        if (scrape != null && settings.httpPort() != 0) {
            http = BridgeHttpServer.start(httpHost, settings.httpPort(), scrape, this::readiness);
            if (dashboard != null) {
                Dashboard.install(http, db, redis, routes::current, dashboard.apply(this));
            }
        }
    }

    private void startJobs() {
        if (!jobs.isEmpty()) {
            scheduler = Executors.newScheduledThreadPool(1, r -> {
                Thread t = new Thread(r, "bridge-jobs");
                t.setDaemon(true);
                return t;
            });
            for (Job j : jobs) {
                Runnable job = j.job().apply(this);
                scheduler.scheduleWithFixedDelay(
                        () -> {
                            try {
                                job.run();
                            } catch (RuntimeException e) {
                                LOG.warn("[bridge] {} failed: {}", j.name(), e.toString());
                            }
                        },
                        j.initialDelay().toMillis(),
                        j.period().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    public String instanceId() {
        return settings.instanceId();
    }

    /** How every pump is doing. */
    public List<PumpLoop.Health> health() {
        return loops.stream().map(l -> l.health(stallAfter)).toList();
    }

    /** Ready while started, not stopping, and every pump healthy. */
    public boolean ready() {
        return readiness().ok();
    }

    /** {@link #ready} with the text {@code /ready} answers: each pump not ready, since when and why. */
    public BridgeHttpServer.Readiness readiness() {
        if (!pumping || stopped) {
            return new BridgeHttpServer.Readiness(
                    false, "not ready: the bridge is " + (stopped ? "stopping" : "starting"));
        }
        List<PumpLoop.Health> bad = health().stream().filter(h -> !h.ok()).toList();
        if (bad.isEmpty()) {
            return new BridgeHttpServer.Readiness(true, "ready");
        }
        StringBuilder out = new StringBuilder("not ready:");
        bad.forEach(h -> out.append('\n').append(h));
        return new BridgeHttpServer.Readiness(false, out.toString());
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

    /** The HTTP face, or null when none is served. */
    public BridgeHttpServer http() {
        return http;
    }

    /**
     * Stops in reverse order: the HTTP face and jobs, then every pump (each finishes its batch in hand), the movers'
     * threads and the push pool, the route watcher, the heartbeat (deregistered when nothing is left in flight), and
     * the pools. Idempotent.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        LOG.info("[bridge] instance {} stopping: finishing the batches in hand", settings.instanceId());
        quietly(http);
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        for (PumpLoop loop : loops) {
            if (!loop.stop(STOP_TIMEOUT_MILLIS)) {
                LOG.warn(
                        "[bridge] {} did not stop within {} ms; its batch stays in flight for redo",
                        loop.name(),
                        STOP_TIMEOUT_MILLIS);
            }
        }
        movers.forEach(BridgeDaemon::quietly);
        if (pushes != null) {
            pushes.shutdown();
        }
        owned.forEach(BridgeDaemon::quietly);
        quietly(routes);
        deregister();
        quietly(redis);
        quietly(db);
        LOG.info("[bridge] instance {} stopped", settings.instanceId());
    }

    private void deregister() {
        if (heartbeats == null || forward == null) {
            return;
        }
        try {
            if (forward.inFlight().size() == 0) {
                heartbeats.deregister();
            }
        } catch (RuntimeException e) {
            LOG.warn("[bridge] could not deregister {}: {}", settings.instanceId(), e.toString());
        }
    }

    private static void quietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("[bridge] closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
        }
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
