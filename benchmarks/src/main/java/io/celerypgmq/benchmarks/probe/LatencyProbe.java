package io.celerypgmq.benchmarks.probe;

import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.benchmarks.env.MessageFactory;
import io.celerypgmq.benchmarks.scenario.BridgeParts;
import io.celerypgmq.bridge.daemon.BridgeDaemon;
import io.celerypgmq.bridge.daemon.PumpMetrics;
import io.celerypgmq.bridge.move.ForwardOutcome;
import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteStore;
import io.celerypgmq.config.ConnectionSettings;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the real bridge daemon (its pump loop, idle wait and all) while a producer LPUSHes messages at a fixed rate and
 * an independent reader polls the pgmq table every {@value #POLL_MILLIS} ms. The first second is warm-up and left out.
 */
public final class LatencyProbe {
    static final double POLL_MILLIS = 1.0;

    private final BenchEnv env;

    public LatencyProbe(BenchEnv env) {
        this.env = env;
    }

    public Latency measure(int rate, int seconds, int idleWaitMillis, int batch) {
        env.reset();
        RouteStore routes = new RouteStore(env.db());
        routes.set(
                new Route(MessageFactory.TASK, RouteMode.SHADOW, 100, BenchEnv.QUEUE.value(), PayloadFormat.TASK),
                "bench",
                "latency probe");
        routes.set(
                new Route(MessageFactory.TASK, RouteMode.PGMQ, 100, BenchEnv.QUEUE.value(), PayloadFormat.TASK),
                "bench",
                "latency probe");
        Map<String, Long> enqueued = new ConcurrentHashMap<>();
        Map<String, Long> visible = new ConcurrentHashMap<>();
        Map<String, Long> handedOff = new ConcurrentHashMap<>();
        PumpMetrics recorder = new PumpMetrics() {
            @Override
            public void moved(ForwardOutcome outcome) {
                long now = System.nanoTime();
                for (ForwardOutcome.Sent s : outcome.sent()) {
                    handedOff.put(s.identity(), now);
                }
            }
        };
        BridgeSettings base = BridgeParts.reverseSettings(batch);
        BridgeSettings settings = new BridgeSettings(
                "bench-latency",
                batch,
                idleWaitMillis,
                30,
                0,
                base.prioritySteps(),
                base.prioritySeparator(),
                base.globalKeyPrefix(),
                base.expiresPolicy(),
                base.priorityPolicy(),
                base.keepEnvelope(),
                base.forward(),
                java.util.List.of());
        ConnectionSettings connections =
                new ConnectionSettings(env.backends().redis(), env.backends().database(), 4);
        Observer observer = new Observer(visible);
        Thread reader = new Thread(observer, "bench-latency-reader");
        int total = rate * seconds;
        long began;
        BridgeDaemon daemon = BridgeDaemon.start(connections, settings, Map.of(), Clock.systemUTC(), recorder);
        try {
            reader.start();
            byte[] key = BenchEnv.SOURCE.getBytes(StandardCharsets.UTF_8);
            began = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = began + (long) (i * 1e9 / rate);
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                byte[] m = env.messages().next();
                enqueued.put(env.messages().deliveryTag(m), System.nanoTime());
                env.redis().lpush(key, m);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (visible.size() < total && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        } finally {
            daemon.stop();
            observer.stop();
            join(reader);
        }
        double achieved = total * 1e9 / (System.nanoTime() - began);
        long warmupEnd = began + TimeUnit.SECONDS.toNanos(1);
        double[] seen = deltas(enqueued, visible, warmupEnd);
        double[] done = deltas(enqueued, handedOff, warmupEnd);
        long counted = enqueued.values().stream().filter(t -> t >= warmupEnd).count();
        return new Latency(
                rate,
                seconds,
                idleWaitMillis,
                batch,
                seen.length,
                (int) (counted - seen.length),
                pct(seen, 50),
                pct(seen, 90),
                pct(seen, 99),
                pct(seen, 100),
                pct(done, 50),
                pct(done, 99),
                POLL_MILLIS,
                Math.round(Math.min(achieved, rate)));
    }

    private static void join(Thread t) {
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double[] deltas(Map<String, Long> from, Map<String, Long> to, long after) {
        return from.entrySet().stream()
                .filter(e -> e.getValue() >= after && to.containsKey(e.getKey()))
                .mapToDouble(e -> (to.get(e.getKey()) - e.getValue()) / 1e6)
                .sorted()
                .toArray();
    }

    private static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return Math.round(sorted[Math.max(0, Math.min(sorted.length - 1, i))] * 100) / 100.0;
    }

    /** Polls the queue table for new rows, noting when each identity first became visible to another session. */
    private final class Observer implements Runnable {
        private final Map<String, Long> visible;
        private volatile boolean running = true;

        Observer(Map<String, Long> visible) {
            this.visible = visible;
        }

        @Override
        public void run() {
            String sql = "SELECT msg_id, headers->>'x-celery-identity' FROM pgmq.q_" + BenchEnv.QUEUE.value()
                    + " WHERE msg_id > ? ORDER BY msg_id";
            long last = 0;
            try (Connection c = env.db().getConnection();
                    PreparedStatement ps = c.prepareStatement(sql)) {
                c.setAutoCommit(true);
                while (running) {
                    ps.setLong(1, last);
                    try (ResultSet rs = ps.executeQuery()) {
                        long now = System.nanoTime();
                        while (rs.next()) {
                            last = rs.getLong(1);
                            visible.putIfAbsent(rs.getString(2), now);
                        }
                    }
                    LockSupport.parkNanos((long) (POLL_MILLIS * 1e6));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("latency reader failed", e);
            }
        }

        void stop() {
            running = false;
        }
    }
}
