package io.celerypgmq.benchmarks.scenario;

import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.benchmarks.env.MessageFactory;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.pump.BatchPlanner;
import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.bridge.pump.ExpiresPolicy;
import io.celerypgmq.bridge.pump.ForwardPump;
import io.celerypgmq.bridge.pump.ForwardSource;
import io.celerypgmq.bridge.pump.HandOff;
import io.celerypgmq.bridge.pump.PgmqPayloads;
import io.celerypgmq.bridge.pump.PriorityPolicy;
import io.celerypgmq.bridge.pump.PumpMetrics;
import io.celerypgmq.bridge.pump.ReverseSource;
import io.celerypgmq.bridge.redis.InFlightList;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteTable;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Wires the bridge's own parts exactly as {@code BridgeDaemon} does, with the daemon's default settings. */
public final class BridgeParts {
    private BridgeParts() {}

    /** The bench task routed wholly to pgmq ({@code PGMQ}) or wholly to Celery ({@code CELERY}). */
    public static RouteTable routes(RouteMode mode, PayloadFormat format) {
        Route route = mode == RouteMode.CELERY
                ? Route.celery(MessageFactory.TASK)
                : new Route(MessageFactory.TASK, mode, 100, BenchEnv.QUEUE.value(), format);
        return new RouteTable(List.of(route), 1);
    }

    public static BatchPlanner planner(BenchEnv env) {
        return planner(env.codec(), env.keys(), true);
    }

    /** {@code keepEnvelope}: the daemon's {@code bridge.keep-envelope} (default on). */
    public static BatchPlanner planner(CeleryCodec codec, PriorityKeys keys, boolean keepEnvelope) {
        return new BatchPlanner(
                codec,
                keys,
                Map.of(BenchEnv.SOURCE, BenchEnv.WORKERS),
                new PgmqPayloads(Map.of(), keepEnvelope),
                ExpiresPolicy.FORWARD,
                PriorityPolicy.HEADER);
    }

    public static HandOff handOff(BenchEnv env, String instance) {
        return new HandOff(env.db(), env.pgmq(), instance, Clock.systemUTC());
    }

    public static InFlightList inFlight(BenchEnv env, String instance) {
        return new InFlightList(env.redis(), "celery-pgmq:inflight:" + instance + ":forward");
    }

    public static List<String> sources(BenchEnv env) {
        return env.keys().consumptionOrder(List.of(BenchEnv.SOURCE));
    }

    public static ForwardPump forward(BenchEnv env, String instance, int batch, RouteTable routes, PumpMetrics m) {
        return forward(env, instance, batch, routes, true, m);
    }

    public static ForwardPump forward(
            BenchEnv env, String instance, int batch, RouteTable routes, boolean keepEnvelope, PumpMetrics m) {
        return new ForwardPump(
                inFlight(env, instance),
                sources(env),
                batch,
                ForwardPump.BATCHES_PER_PASS,
                planner(env.codec(), env.keys(), keepEnvelope),
                handOff(env, instance),
                () -> routes,
                Clock.systemUTC(),
                m);
    }

    /** The daemon's defaults (batch aside) with one reverse source: pgmq bench queue → Celery workers' list. */
    public static BridgeSettings reverseSettings(int batch) {
        return new BridgeSettings(
                "bench-reverse",
                batch,
                50,
                30,
                0,
                List.of(0, 3, 6, 9),
                "\u0006\u0016",
                "",
                ExpiresPolicy.FORWARD,
                PriorityPolicy.HEADER,
                true,
                List.of(new ForwardSource(BenchEnv.SOURCE, BenchEnv.WORKERS)),
                List.of(new ReverseSource(BenchEnv.QUEUE.value(), BenchEnv.WORKERS)));
    }
}
