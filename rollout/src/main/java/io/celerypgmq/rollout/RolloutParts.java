package io.celerypgmq.rollout;

import io.celerypgmq.bridge.dashboard.DashboardSettings;
import io.celerypgmq.bridge.inspect.RedisKeyspace;
import io.celerypgmq.bridge.inspect.TaskCensus;
import io.celerypgmq.bridge.route.RouteTable;
import io.celerypgmq.bridge.status.CensusStore;
import io.celerypgmq.bridge.status.StatusBoard;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.ConnectionSettings;
import io.celerypgmq.config.RedisUrl;
import io.celerypgmq.replay.CancelToken;
import io.celerypgmq.replay.ReplayContext;
import io.celerypgmq.rollout.gate.StepReadings;
import io.celerypgmq.rollout.lease.DriverLease;
import io.celerypgmq.rollout.lease.LeaseKeeper;
import io.celerypgmq.rollout.rollback.RollbackPass;
import io.celerypgmq.verifier.Verifier;
import io.celerypgmq.verifier.VerifierSettings;
import io.celerypgmq.verifier.compare.RedisResultBackend;
import io.celerypgmq.verifier.uptime.QueueWatch;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;
import redis.clients.jedis.UnifiedJedis;

/** The rollout driver and the status board, put together from the configuration and the bridge's stores. */
record RolloutParts(
        RolloutSettings settings,
        RolloutDriver driver,
        LeaseKeeper lease,
        StatusBoard board,
        CancelToken cancel,
        RedisResultBackend results)
        implements AutoCloseable {

    static RolloutParts assemble(
            ConfigSource source,
            DataSource db,
            UnifiedJedis redis,
            Supplier<RouteTable> routes,
            String holder,
            Clock clock) {
        RolloutSettings settings = RolloutSettings.from(source);
        RolloutSchema.install(db);
        ReplayContext replay = ReplayContext.from(source, db, redis, clock);
        VerifierSettings verify = VerifierSettings.from(source);
        RedisUrl resultsUrl = verify.resultBackend().orElseGet(() -> source.get(ConnectionSettings.REDIS_URL));
        RedisResultBackend results = new RedisResultBackend(resultsUrl, verify.resultKeyPrefix());
        Verifier verifier = new Verifier(db, verify, results, clock);
        QueueWatch watch = new QueueWatch(db, clock, Duration.ofDays(verify.sampleRetentionDays()));
        List<String> queues = Arrays.stream(
                        source.get(DashboardSettings.CELERY_QUEUES).split(","))
                .map(String::trim)
                .filter(q -> !q.isEmpty())
                .toList();
        TaskCensus census = new TaskCensus(
                redis,
                new RedisKeyspace(redis, replay.keys()),
                queues,
                settings.censusMaxPerQueue(),
                replay.codec(),
                clock);
        CensusStore censusStore = new CensusStore(db);
        RolloutStore store = new RolloutStore(db);
        CancelToken cancel = new CancelToken();
        LeaseKeeper lease = new LeaseKeeper(new DriverLease(db, holder, settings.lease()), settings.lease(), clock);
        RolloutQueries queries = new RolloutQueries(db);
        RolloutDriver driver = new RolloutDriver(
                queries,
                lease,
                new StepReadings(verifier, verify.criteria()),
                new RolloutActions(store, new RollbackPass(replay, cancel), settings.rollbackSettle()),
                watch::sampleOnce,
                new CensusDuty(census, censusStore, settings.censusInterval(), clock),
                clock);
        StatusBoard board = new StatusBoard(
                db, routes, () -> censusStore.latest().orElse(null), new RolloutStepsView(queries), clock);
        return new RolloutParts(settings, driver, lease, board, cancel, results);
    }

    @Override
    public void close() {
        results.close();
    }
}
