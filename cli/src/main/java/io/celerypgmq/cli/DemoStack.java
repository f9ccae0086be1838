package io.celerypgmq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.daemon.BridgeDaemon;
import io.celerypgmq.bridge.daemon.MicrometerPumpMetrics;
import io.celerypgmq.bridge.dashboard.Dashboard;
import io.celerypgmq.bridge.dashboard.DashboardOptions;
import io.celerypgmq.bridge.dashboard.VerdictSource;
import io.celerypgmq.bridge.http.BridgeHttpServer;
import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.bridge.pump.ExpiresPolicy;
import io.celerypgmq.bridge.pump.ForwardSource;
import io.celerypgmq.bridge.pump.PayloadTemplate;
import io.celerypgmq.bridge.pump.PriorityPolicy;
import io.celerypgmq.bridge.route.RouteStore;
import io.celerypgmq.bridge.store.PostgresPool;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.ConnectionSettings;
import io.celerypgmq.rollout.RolloutRuntime;
import io.celerypgmq.testkit.embedded.EmbeddedPostgres;
import io.celerypgmq.testkit.embedded.EmbeddedRedis;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import redis.clients.jedis.JedisPooled;

/**
 * Everything the demo runs on: embedded Redis and Postgres, a bridge daemon between Celery's {@code celery} queue
 * and the workers' {@code celery_workers} queue, and the dashboard with /metrics. Closing stops it all, in reverse.
 */
final class DemoStack implements AutoCloseable {
    static final String SOURCE = "celery";
    static final String CELERY_TARGET = "celery_workers";

    final EmbeddedRedis redisServer;
    final EmbeddedPostgres pgServer;
    final ConnectionSettings connections;
    final BridgeDaemon bridge;
    final BridgeHttpServer http;
    final AtomicReference<VerdictSource.Verdict> verdict = new AtomicReference<>();
    /** The demo's own connections: workers, traffic and dashboard keep running when the bridge stops at cut-over. */
    final HikariDataSource db;

    final JedisPooled redis;
    final Path config;
    /** The rollout driver on the bridge's hooks, as {@code celery-pgmq bridge} runs it. */
    final RolloutRuntime rollouts;

    private DemoStack(
            EmbeddedRedis redisServer,
            EmbeddedPostgres pgServer,
            int port,
            Map<String, PayloadTemplate> templates,
            Path config) {
        this.redisServer = redisServer;
        this.pgServer = pgServer;
        this.config = config;
        this.connections = new ConnectionSettings(redisServer.url(), pgServer.url(), 4);
        BridgeSettings settings = new BridgeSettings(
                "demo-bridge",
                100,
                20,
                30,
                port,
                PriorityKeys.DEFAULT_STEPS,
                PriorityKeys.DEFAULT_SEPARATOR,
                "",
                ExpiresPolicy.FORWARD,
                PriorityPolicy.HEADER,
                true,
                List.of(new ForwardSource(SOURCE, CELERY_TARGET)),
                List.of());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Map<String, String> flags = Map.of(
                ConnectionSettings.REDIS_URL.key(),
                redisServer.url().toString(),
                ConnectionSettings.DATABASE_URL.key(),
                pgServer.url().jdbcUrl() + "?user=postgres");
        this.bridge = new BridgeDaemon(
                connections, settings, templates, Clock.systemUTC(), new MicrometerPumpMetrics(registry));
        this.rollouts = RolloutRuntime.attach(ConfigSource.load(config, Map.of(), flags), bridge, registry);
        bridge.start();
        this.db = PostgresPool.open(pgServer.url(), 4, "demo");
        this.redis = RedisConnections.open(redisServer.url());
        this.http = BridgeHttpServer.start("127.0.0.1", port, registry::scrape, bridge::readiness);
        rollouts.serve(http);
        RouteStore routes = new RouteStore(db);
        Dashboard.install(
                http,
                db,
                redis,
                routes::load,
                DashboardOptions.readOnly(PriorityKeys.defaults())
                        .withCeleryQueues(List.of(SOURCE, CELERY_TARGET))
                        .withVerdicts(() -> java.util.Optional.ofNullable(verdict.get())));
    }

    /**
     * Starts everything. {@code config} is the YAML file the demo's commands use, as a user's would (templates and
     * bridge settings; the connections are passed as flags).
     */
    static DemoStack start(int port, Map<String, PayloadTemplate> templates, Path config) {
        EmbeddedRedis redis = EmbeddedRedis.start();
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.start();
            try {
                return new DemoStack(redis, pg, port, templates, config);
            } catch (RuntimeException e) {
                pg.close();
                throw e;
            }
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    String dashboardUrl() {
        return "http://127.0.0.1:" + http.port() + "/";
    }

    /** Runs a celery-pgmq command in this process against the demo's stores; returns its exit code and output. */
    CommandResult run(String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.add("--config");
        full.add(config.toString());
        full.add("--redis-url");
        full.add(redisServer.url().toString());
        full.add("--database-url");
        full.add(pgServer.url().jdbcUrl() + "?user=postgres");
        StringWriter out = new StringWriter();
        CommandLine cmd = CeleryPgmq.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(out, true));
        int code = cmd.execute(full.toArray(String[]::new));
        return new CommandResult(code, out.toString());
    }

    record CommandResult(int exitCode, String output) {}

    @Override
    public void close() {
        http.close();
        bridge.stop();
        rollouts.close();
        redis.close();
        db.close();
        pgServer.close();
        redisServer.close();
    }
}
