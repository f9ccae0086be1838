package io.celerypgmq.cli;

import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.daemon.BridgeDaemon;
import io.celerypgmq.bridge.daemon.MicrometerPumpMetrics;
import io.celerypgmq.bridge.dashboard.DashboardSettings;
import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.bridge.pump.PayloadTemplates;
import io.celerypgmq.bridge.store.StoreUnavailableException;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.ConnectionSettings;
import io.celerypgmq.config.RedisUrl;
import io.celerypgmq.rollout.RolloutRuntime;
import io.celerypgmq.verifier.Verifier;
import io.celerypgmq.verifier.VerifierSettings;
import io.celerypgmq.verifier.compare.RedisResultBackend;
import io.celerypgmq.verifier.metrics.DashboardVerdict;
import io.celerypgmq.verifier.metrics.VerdictMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code celery-pgmq bridge}: runs the bridge daemon until SIGTERM/SIGINT, then stops without losing a message. */
@Command(
        name = "bridge",
        description = "Run the bridge: Celery messages from Redis into pgmq (and back for rollback), routed per task"
                + " type. Several instances may run at once. SIGTERM finishes the batches in hand and exits.",
        footer = {"%nExample:%n  celery-pgmq bridge --config config/celery-pgmq.yml", ExitCode.FOOTER})
final class BridgeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeCommand.class);
    private static final Duration VERDICT_WINDOW = Duration.ofHours(24);

    @Mixin
    ConnectionOptions options;

    @Option(
            names = "--http-host",
            description = "Address for /metrics, /health, /ready (default ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1")
    String httpHost;

    @Override
    public Integer call() {
        ConfigSource source = options.source();
        BridgeSettings settings = BridgeSettings.from(source);
        var connections = options.connections();
        LOG.info(
                "[bridge] effective settings: {} instance={} batch={}",
                connections.describe(),
                settings.instanceId(),
                settings.batchSize());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The dashboard shows the verdict the refresh job computes for /metrics; the job makes it once the daemon runs.
        AtomicReference<VerdictMeters> verdict = new AtomicReference<>();
        PriorityKeys keys =
                new PriorityKeys(settings.prioritySteps(), settings.prioritySeparator(), settings.globalKeyPrefix());
        BridgeDaemon daemon = new BridgeDaemon(
                        connections,
                        settings,
                        PayloadTemplates.from(source),
                        Clock.systemUTC(),
                        new MicrometerPumpMetrics(registry))
                .serveHttp(httpHost, registry::scrape, d -> DashboardSettings.from(source, keys)
                        .withVerdicts(new DashboardVerdict(verdict::get, VERDICT_WINDOW)))
                .every("verdict-refresh", Duration.ofSeconds(10), Duration.ofSeconds(60), d -> {
                    verdict.set(verdict(source, d, registry));
                    return verdict.get()::refresh;
                });
        // the rollout driver (the daemon's loop "rollout") and the status refresher (its job), owned by the daemon
        RolloutRuntime.attach(source, daemon, registry);
        try {
            daemon.start();
        } catch (StoreUnavailableException e) {
            throw new CannotStartException(e.getMessage(), e);
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            daemon.stop();
                            done.countDown();
                        },
                        "bridge-shutdown"));
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.OK;
    }

    /**
     * Publishes the verifier's go/no-go verdict (trailing 24 h) on /metrics; the daemon recomputes it every minute off
     * the scrape path, because a verification reads the whole ledger window. The dashboard shows the same verdict.
     */
    private static VerdictMeters verdict(ConfigSource source, BridgeDaemon daemon, PrometheusMeterRegistry registry) {
        VerifierSettings verify = VerifierSettings.from(source);
        RedisUrl results = verify.resultBackend().orElseGet(() -> source.get(ConnectionSettings.REDIS_URL));
        Verifier verifier = new Verifier(
                daemon.dataSource(),
                verify,
                new RedisResultBackend(results, verify.resultKeyPrefix()),
                Clock.systemUTC());
        VerdictMeters verdict = VerdictMeters.trailing(verifier, Clock.systemUTC(), VERDICT_WINDOW);
        verdict.bindTo(registry);
        return verdict;
    }
}
