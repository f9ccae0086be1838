package io.celerypgmq.benchmarks.probe;

import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.benchmarks.scenario.BridgeParts;
import io.celerypgmq.bridge.ledger.Ledger;
import io.celerypgmq.bridge.ledger.Quarantine;
import io.celerypgmq.bridge.pump.BatchPlan;
import io.celerypgmq.bridge.pump.BatchPlanner;
import io.celerypgmq.bridge.pump.Outgoing;
import io.celerypgmq.bridge.redis.ClaimedMessage;
import io.celerypgmq.bridge.redis.InFlightList;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where the forward pump's time goes: the same calls, in the same order, as {@code ForwardPump.runOnce} and
 * {@code HandOff.write} make (public parts of the bridge, re-composed here with a stopwatch between them), so each
 * stage's wall time per message is known. Single queue, no delays, no duplicates: the steady-state path.
 */
public final class StageProfile {
    /** The breakdown of one pass. */
    public record Breakdown(
            String format, long messages, int batchSize, double perSecond, Map<String, Stages.StageShare> stages) {}

    private final BenchEnv env;

    public StageProfile(BenchEnv env) {
        this.env = env;
    }

    public Breakdown measure(int messages, int batch, PayloadFormat format) {
        env.reset();
        env.fill(BenchEnv.SOURCE, messages);
        RouteTable routes = BridgeParts.routes(RouteMode.PGMQ, format);
        InFlightList inFlight = BridgeParts.inFlight(env, "bench-stages");
        BatchPlanner planner = BridgeParts.planner(env);
        List<String> sources = BridgeParts.sources(env);
        Stages t = new Stages();
        long moved = 0;
        long began = System.nanoTime();
        while (true) {
            t.reset();
            List<ClaimedMessage> pending = inFlight.pending();
            t.lap("redis: LRANGE in-flight (redo check)");
            List<ClaimedMessage> claimed = pending.isEmpty() ? inFlight.claim(sources, batch) : pending;
            t.lap("redis: claim (Lua)");
            if (claimed.isEmpty()) {
                break;
            }
            BatchPlan plan = planner.plan(claimed, routes, Instant.now(), "pgmq");
            t.lap("plan: decode, route, build payloads");
            handOff(plan, t);
            inFlight.finish(plan.celery());
            t.lap("redis: finish (Lua ack)");
            moved += claimed.size();
        }
        double perSecond = moved * 1e9 / (System.nanoTime() - began);
        if (env.pgmqCount(BenchEnv.QUEUE) != messages) {
            throw new IllegalStateException(
                    "stage profile delivered " + env.pgmqCount(BenchEnv.QUEUE) + " of " + messages);
        }
        return new Breakdown(format.label(), moved, batch, Math.round(perSecond), t.perMessage(moved));
    }

    /** HandOff.write's statements (first attempt: every identity new), one lap each. */
    private void handOff(BatchPlan plan, Stages t) {
        try (Connection c = env.db().getConnection()) {
            c.setAutoCommit(false);
            t.lap("pg: borrow connection");
            List<Outgoing> send = plan.pgmq();
            Ledger.sendAndInsert(
                    c,
                    BenchEnv.QUEUE.value(),
                    send.stream().map(Outgoing::entry).toList(),
                    send.stream().map(Outgoing::message).toList(),
                    send.stream().map(Outgoing::headers).toList(),
                    send.stream().map(Outgoing::envelope).toList(),
                    null,
                    "bench-stages",
                    plan.flow(),
                    Instant.now());
            t.lap("pg: send_batch + ledger INSERT + flow UPSERT (one statement)");
            Quarantine.record(c, plan.quarantined());
            c.commit();
            t.lap("pg: COMMIT");
        } catch (SQLException e) {
            throw new IllegalStateException("stage profile hand-off failed", e);
        }
        t.lap("pg: return connection");
    }
}
