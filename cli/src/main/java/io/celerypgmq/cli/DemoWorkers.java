package io.celerypgmq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.CeleryHeaders;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * The demo's two consumers. The Celery-side worker consumes exactly as a Celery worker does (BRPOP over the queue's
 * priority lists in kombu's order) and stores results in Celery's result format; the pgmq worker reads, runs and
 * archives, like the seeds' hand-written workers, and can be told to start failing a task type (it then dead-letters
 * into {@code <queue>_dlq}, copy and archive in one transaction). Both count runs by task id for the reconciliation.
 */
final class DemoWorkers implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, AtomicLong> ranOnCelery = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> ranOnPgmq = new ConcurrentHashMap<>();
    /** Task id → runs on Celery, runs on pgmq (shadow copies aside), and dead-letterings, for the reconciliation. */
    final Map<String, AtomicLong> celeryRuns = new ConcurrentHashMap<>();

    final Map<String, AtomicLong> pgmqRuns = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> deadLettered = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final DataSource db;
    private final UnifiedJedis redis;
    private final PgmqClient pgmq;
    private final List<QueueName> pgmqQueues;
    private final CeleryCodec codec = CeleryCodec.withDefaults();
    private volatile boolean running = true;
    private volatile boolean pgmqPaused;
    private final Thread celeryThread;
    private final Thread pgmqThread;

    DemoWorkers(UnifiedJedis redis, DataSource db, List<QueueName> pgmqQueues) {
        this.redis = redis;
        this.db = db;
        this.pgmq = new PgmqClient(db);
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

    /** From now on the pgmq worker dead-letters every message of {@code task} instead of running it (or stops). */
    void failPgmq(String task, boolean value) {
        if (value) {
            failing.add(task);
        } else {
            failing.remove(task);
        }
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
                celeryRuns.computeIfAbsent(msg.id(), t -> new AtomicLong()).incrementAndGet();
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
                            run(q, m);
                        }
                        any |= !batch.isEmpty();
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

    /** Runs (counts) and archives one message, or dead-letters it when its task type is failing. */
    private void run(QueueName q, PgmqMessage m) throws Exception {
        ObjectNode headers = m.headers() == null ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(m.headers());
        String task = headers.path(CeleryHeaders.TASK)
                .asText(JSON.readTree(m.message()).path("task").asText("(unknown)"));
        String id = headers.path(CeleryHeaders.ID).asText("");
        boolean shadowCopy = q.value().endsWith("_shadow");
        if (!shadowCopy && failing.contains(task)) {
            headers.put("original_msg_id", Long.toString(m.msgId()))
                    .put("original_queue", q.value())
                    .put("error", "demo: the new worker cannot reach its database");
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                pgmq.in(c).send(QueueName.of(q.value() + "_dlq"), m.message(), headers.toString(), Delay.none());
                pgmq.in(c).archive(q, m.msgId());
                c.commit();
            }
            deadLettered.computeIfAbsent(id, t -> new AtomicLong()).incrementAndGet();
            return;
        }
        pgmq.archive(q, m.msgId());
        ranOnPgmq.computeIfAbsent(task, t -> new AtomicLong()).incrementAndGet();
        if (!shadowCopy) {
            pgmqRuns.computeIfAbsent(id, t -> new AtomicLong()).incrementAndGet();
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
