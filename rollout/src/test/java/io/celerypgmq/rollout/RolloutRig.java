package io.celerypgmq.rollout;

import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.daemon.BridgeDaemon;
import io.celerypgmq.bridge.daemon.PumpMetrics;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.bridge.pump.PayloadTemplates;
import io.celerypgmq.bridge.route.RouteStore;
import io.celerypgmq.bridge.store.PostgresPool;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.ConnectionSettings;
import io.celerypgmq.config.DatabaseUrl;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.JedisPooled;

/**
 * Real stores for rollout tests: a bridge daemon between Celery's {@code celery} list and the workers'
 * {@code celery_workers}, rollout drivers beside it (as many instances as a test starts), and short intervals so a
 * whole rollout takes seconds. Closing stops everything it started, drivers first.
 */
final class RolloutRig implements AutoCloseable {
    static final String SOURCE = "celery";
    static final String WORKERS = "celery_workers";

    final HikariDataSource db;
    final JedisPooled redis;
    final PgmqClient pgmq;
    final RolloutStore store;
    final RolloutQueries queries;
    final RouteStore routes;
    private final Path config;
    private final List<AutoCloseable> started = new ArrayList<>();

    RolloutRig(TestPostgres pg, TestRedis backend, Path dir) throws IOException {
        this(pg, backend, dir, "");
    }

    /** @param extraYaml more configuration, e.g. a {@code verify:} section */
    RolloutRig(TestPostgres pg, TestRedis backend, Path dir, String extraYaml) throws IOException {
        this.config = Files.writeString(dir.resolve("celery-pgmq.yml"), yaml(pg.url(), backend) + extraYaml);
        this.db = PostgresPool.open(pg.url(), 4, "rollout-test");
        this.redis = RedisConnections.open(backend.url());
        PgmqInstaller.ensure(db);
        RolloutSchema.install(db);
        this.pgmq = new PgmqClient(db);
        for (String q : List.of("user_tasks", "user_tasks_dlq", "user_tasks_shadow")) {
            pgmq.create(QueueName.of(q));
        }
        this.store = new RolloutStore(db);
        this.queries = new RolloutQueries(db);
        this.routes = new RouteStore(db);
    }

    private static String yaml(DatabaseUrl url, TestRedis backend) {
        String jdbc = url.jdbcUrl()
                + (url.jdbcUrl().contains("?") ? "&" : "?")
                + (url.user() == null ? "" : "user=" + enc(url.user()))
                + (url.password() == null ? "" : "&password=" + enc(url.password()));
        return "redis:\n  url: redis://" + backend.host() + ":" + backend.port() + "/" + backend.database() + "\n"
                + "database:\n  url: \"" + jdbc + "\"\n  pool-size: 4\n"
                + "bridge:\n  batch-size: 50\n  http-port: 0\n  heartbeat-timeout-seconds: 5\n"
                + "  forward:\n    - source: " + SOURCE + "\n      celery-target: " + WORKERS + "\n"
                + "rollout:\n  check-interval-ms: 300\n  lease-seconds: 3\n  census-interval-seconds: 1\n"
                + "  rollback-settle-ms: 1500\n";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    ConfigSource source(String instance) {
        return ConfigSource.load(config, Map.of(), Map.of(BridgeSettings.INSTANCE_ID.key(), instance));
    }

    /** A bridge instance (forward pump) with its rollout driver, as {@code celery-pgmq bridge} runs them. */
    record Instance(BridgeDaemon daemon, RolloutRuntime rollouts) implements AutoCloseable {
        /** Stops the bridge (its rollout loop with it), then lets the lease go, as the bridge's shutdown does. */
        @Override
        public void close() {
            daemon.stop();
            rollouts.close();
        }
    }

    Instance bridge(String instance) {
        ConfigSource source = source(instance);
        BridgeDaemon daemon = new BridgeDaemon(
                ConnectionSettings.from(source),
                BridgeSettings.from(source),
                PayloadTemplates.from(source),
                Clock.systemUTC(),
                PumpMetrics.NONE);
        RolloutRuntime rollouts = RolloutRuntime.attach(source, daemon, new SimpleMeterRegistry());
        daemon.start();
        Instance started = new Instance(daemon, rollouts);
        this.started.add(started);
        return started;
    }

    Rollout start(RolloutPlan plan) {
        return store.start(RolloutLauncher.draft(plan, Clock.systemUTC().instant(), "test"), "test", "rollout test");
    }

    Rollout awaitState(long id, Duration within, RolloutState... states) {
        List<RolloutState> wanted = List.of(states);
        return await().atMost(within)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> queries.find(id).orElseThrow(), r -> wanted.contains(r.state()));
    }

    /** Stops what this rig started, newest first (a driver before its bridge). */
    @Override
    public void close() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        redis.close();
        db.close();
    }
}
