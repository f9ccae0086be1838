package io.celerypgmq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.UnifiedJedis;

/**
 * The demo's two consumers. The Celery-side worker consumes exactly as a Celery worker does (BRPOP over the queue's
 * priority lists in kombu's order) and stores results in Celery's result format; the pgmq worker reads, runs and
 * archives, like the seeds' hand-written workers.
 */
final class DemoWorkers implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, AtomicLong> ranOnCelery = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> ranOnPgmq = new ConcurrentHashMap<>();
    private final UnifiedJedis redis;
    private final PgmqClient pgmq;
    private final List<QueueName> pgmqQueues;
    private final CeleryCodec codec = CeleryCodec.withDefaults();
    private volatile boolean running = true;
    private volatile boolean pgmqPaused;
    private final Thread celeryThread;
    private final Thread pgmqThread;

    DemoWorkers(UnifiedJedis redis, PgmqClient pgmq, List<QueueName> pgmqQueues) {
        this.redis = redis;
        this.pgmq = pgmq;
        this.pgmqQueues = List.copyOf(pgmqQueues);
        this.celeryThread = new Thread(this::celeryLoop, "demo-celery-worker");
        this.pgmqThread = new Thread(this::pgmqLoop, "demo-pgmq-worker");
        celeryThread.setDaemon(true);
        pgmqThread.setDaemon(true);
    }

    void start() {
        celeryThread.start();
        pgmqThread.start();
    }

    void pausePgmq(boolean value) {
        pgmqPaused = value;
    }

    static long total(Map<String, AtomicLong> counts) {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private void celeryLoop() {
        String[] keys = PriorityKeys.defaults()
                .consumptionOrder(List.of(DemoStack.CELERY_TARGET))
                .toArray(String[]::new);
        while (running) {
            try {
                List<String> popped = redis.brpop(1, keys);
                if (popped == null || popped.size() < 2) {
                    continue;
                }
                CeleryMessage msg = codec.decode(popped.get(1).getBytes(StandardCharsets.UTF_8), popped.get(0));
                ranOnCelery.computeIfAbsent(msg.task(), t -> new AtomicLong()).incrementAndGet();
                ObjectNode result = JSON.createObjectNode()
                        .put("status", "SUCCESS")
                        .putNull("result")
                        .putNull("traceback")
                        .put("date_done", Instant.now().toString())
                        .put("task_id", msg.id());
                result.putArray("children");
                redis.setex("celery-task-meta-" + msg.id(), 86_400, result.toString());
            } catch (RuntimeException e) {
                if (running) {
                    pause(200);
                }
            }
        }
    }

    private void pgmqLoop() {
        while (running) {
            boolean any = false;
            if (!pgmqPaused) {
                for (QueueName q : pgmqQueues) {
                    try {
                        List<PgmqMessage> batch = pgmq.read(q, 30, 50, null);
                        for (PgmqMessage m : batch) {
                            String task =
                                    JSON.readTree(m.message()).path("task").asText("(unknown)");
                            ranOnPgmq
                                    .computeIfAbsent(task, t -> new AtomicLong())
                                    .incrementAndGet();
                        }
                        if (!batch.isEmpty()) {
                            pgmq.archive(
                                    q, batch.stream().map(PgmqMessage::msgId).toList());
                            any = true;
                        }
                    } catch (Exception e) {
                        // the queue may not exist yet; try again next round
                    }
                }
            }
            if (!any) {
                pause(100);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        celeryThread.interrupt();
        pgmqThread.interrupt();
    }
}
