package io.celerypgmq.benchmarks.scenario;

import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.bridge.move.CeleryDelivery;
import io.celerypgmq.bridge.move.ForwardListener;
import io.celerypgmq.bridge.move.ForwardMover;
import io.celerypgmq.bridge.move.MessageRebuilder;
import io.celerypgmq.bridge.move.ReverseMover;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.bridge.pump.ReverseSource;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.RouteMode;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The bridge's reverse pump (rollback): read a batch from pgmq, rebuild and validate each Celery message, LPUSH it
 * with its idempotency marker, archive the batch. The queue is filled beforehand by the forward pump itself, so the
 * messages look exactly as a rollback would find them.
 */
public final class ReverseBridge implements Scenario {
    private final BenchEnv env;
    private final PayloadFormat format;
    private final int batch;
    private final ExecutorService pushes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bench-push");
        t.setDaemon(true);
        return t;
    });
    private ReverseMover pump;
    private CeleryDelivery delivery;
    private ReverseSource source;

    public ReverseBridge(BenchEnv env, PayloadFormat format, int batch) {
        this.env = env;
        this.format = format;
        this.batch = batch;
    }

    @Override
    public String id() {
        return "bridge.reverse." + format.label() + ".b" + batch;
    }

    @Override
    public String label() {
        return "bridge: reverse pump, " + format.label() + " format, b" + batch;
    }

    @Override
    public String group() {
        return "bridge";
    }

    @Override
    public Double target() {
        return 0.7;
    }

    @Override
    public void prepare(int messages) {
        env.reset();
        env.fill(BenchEnv.SOURCE, messages);
        try (ForwardMover forward = BridgeParts.forward(
                env, "bench-fill", 100, BridgeParts.routes(RouteMode.PGMQ, format), ForwardListener.NONE)) {
            BridgeParts.drain(env, forward); // fill the pgmq queue the way the bridge writes it
        }
        if (env.pgmqCount(BenchEnv.QUEUE) != messages) {
            throw new IllegalStateException(
                    "the forward pump left " + env.pgmqCount(BenchEnv.QUEUE) + " of " + messages + " messages in pgmq");
        }
        BridgeSettings settings = BridgeParts.reverseSettings(batch);
        source = settings.reverse().get(0);
        if (pump != null) {
            pump.close();
        }
        pump = new ReverseMover(
                "bench",
                env.db(),
                ReverseMover.Takeable.VISIBLE,
                true,
                settings.batchSize(),
                ReverseMover.Listener.NONE);
        delivery = new CeleryDelivery(
                env.db(),
                env.redis(),
                new MessageRebuilder(env.codec(), Map.of()),
                env.keys(),
                m -> source.celeryQueue(),
                pushes);
    }

    /** As the daemon's reverse pump: passes of {@link ForwardMover#BATCHES_PER_PASS} batches until none is left. */
    @Override
    public long run() {
        QueueName queue = QueueName.of(source.pgmqQueue());
        long moved = 0;
        for (int n = pass(queue); n > 0; n = pass(queue)) {
            moved += n;
        }
        return moved;
    }

    private int pass(QueueName queue) {
        return pump.drain(
                queue, ForwardMover.BATCHES_PER_PASS, delivery, ReverseMover.Selection.ALL, ReverseMover.TxHook.NONE);
    }

    @Override
    public long check() {
        return env.pgmqCount(BenchEnv.QUEUE) == 0 ? env.length(BenchEnv.WORKERS) : -1;
    }
}
