package io.celerypgmq.benchmarks.scenario;

import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.benchmarks.env.MessageFactory;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.move.ForwardIntake;
import io.celerypgmq.bridge.move.ForwardListener;
import io.celerypgmq.bridge.move.ForwardMover;
import io.celerypgmq.bridge.move.ForwardRules;
import io.celerypgmq.bridge.move.InFlightList;
import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.bridge.pump.ExpiresPolicy;
import io.celerypgmq.bridge.pump.ForwardSource;
import io.celerypgmq.bridge.pump.PgmqPayloads;
import io.celerypgmq.bridge.pump.PriorityPolicy;
import io.celerypgmq.bridge.pump.ReverseSource;
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

    public static ForwardRules rules(BenchEnv env) {
        return rules(env.codec(), env.keys(), true);
    }

    /** {@code keepEnvelope}: the daemon's {@code bridge.keep-envelope} (default on). */
    public static ForwardRules rules(CeleryCodec codec, PriorityKeys keys, boolean keepEnvelope) {
        return ForwardRules.bridge(
                codec,
                keys,
                Map.of(BenchEnv.SOURCE, BenchEnv.WORKERS),
                new PgmqPayloads(Map.of(), keepEnvelope),
                ExpiresPolicy.FORWARD,
                PriorityPolicy.HEADER);
    }

    public static InFlightList inFlight(BenchEnv env, String instance) {
        return new InFlightList(env.redis(), "celery-pgmq:inflight:" + instance + ":forward");
    }

    public static List<String> sources(BenchEnv env) {
        return env.keys().consumptionOrder(List.of(BenchEnv.SOURCE));
    }

    /** The daemon's claim: from the bench source, in kombu's priority order. */
    public static ForwardIntake claim(BenchEnv env) {
        List<String> sources = sources(env);
        return (inFlight, max) -> inFlight.claim(sources, max);
    }

    public static ForwardMover forward(
            BenchEnv env, String instance, int batch, RouteTable routes, ForwardListener listener) {
        return forward(env, instance, batch, routes, true, listener);
    }

    public static ForwardMover forward(
            BenchEnv env,
            String instance,
            int batch,
            RouteTable routes,
            boolean keepEnvelope,
            ForwardListener listener) {
        return new ForwardMover(
                env.db(),
                env.redis(),
                inFlight(env, instance),
                rules(env.codec(), env.keys(), keepEnvelope),
                () -> routes,
                batch,
                instance,
                Clock.systemUTC(),
                listener);
    }

    /** Runs {@code mover} as the daemon's forward pump does, pass after pass, until the source is empty. */
    public static long drain(BenchEnv env, ForwardMover mover) {
        ForwardIntake claim = claim(env);
        long moved = 0;
        for (ForwardMover.Moved pass = mover.runOnce(claim, ForwardMover.BATCHES_PER_PASS);
                !pass.idle();
                pass = mover.runOnce(claim, ForwardMover.BATCHES_PER_PASS)) {
            moved += pass.messages();
        }
        return moved;
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
