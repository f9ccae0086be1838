package io.celerypgmq.benchmarks.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.benchmarks.env.Backends;
import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.benchmarks.scenario.BridgeParts;
import io.celerypgmq.bridge.move.ForwardListener;
import io.celerypgmq.bridge.move.ForwardMover;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.config.DatabaseUrl;
import io.celerypgmq.config.RedisUrl;

/**
 * The memory check's child JVM (started with a small {@code -Xmx}): fills the source with {@code messages}, then has
 * the forward pump move them all, and prints one JSON line with what it moved and the heap and RSS peaks of the move.
 * Arguments: messages, batch size, the -Xmx it was given in MB; the stores come from {@code BENCH_DB_URL}, {@code BENCH_DB_USER},
 * {@code BENCH_DB_PASSWORD} and {@code BENCH_REDIS_URL}.
 */
public final class MemoryChild {
    private MemoryChild() {}

    public static void main(String[] args) throws Exception {
        int messages = Integer.parseInt(args[0]);
        int batch = Integer.parseInt(args[1]);
        int maxHeapMb = Integer.parseInt(args[2]);
        DatabaseUrl db = new DatabaseUrl(
                System.getenv("BENCH_DB_URL"), System.getenv("BENCH_DB_USER"), System.getenv("BENCH_DB_PASSWORD"));
        RedisUrl redis = RedisUrl.parse(System.getenv("BENCH_REDIS_URL"));
        try (BenchEnv env = new BenchEnv(Backends.existing(db, redis))) {
            env.reset();
            env.fill(BenchEnv.SOURCE, messages);
            System.gc();
            MemoryProbe.resetPeaks();
            long moved;
            try (ForwardMover pump = BridgeParts.forward(
                    env,
                    "bench-memory",
                    batch,
                    BridgeParts.routes(RouteMode.PGMQ, PayloadFormat.TASK),
                    ForwardListener.NONE)) {
                moved = BridgeParts.drain(env, pump);
            }
            long arrived = env.pgmqCount(BenchEnv.QUEUE);
            MemoryCheck result = new MemoryCheck(
                    messages,
                    batch,
                    maxHeapMb,
                    Math.min(moved, arrived),
                    Math.round(messages * (double) env.messages().messageBytes() / 1024 / 1024 * 10) / 10.0,
                    MemoryProbe.peakHeapMb(),
                    MemoryProbe.peakRssMb(),
                    moved == messages && arrived == messages,
                    null);
            System.out.println("MEMORY-CHECK " + new ObjectMapper().writeValueAsString(result));
        }
    }
}
