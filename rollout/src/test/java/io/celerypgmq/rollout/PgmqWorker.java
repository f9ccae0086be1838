package io.celerypgmq.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.CeleryHeaders;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A plain pgmq consumer like the seeds' hand-written workers: reads, runs (records the Celery task id), archives.
 * Switched to failing, it dead-letters every message it reads into {@code <queue>_dlq} (a copy with the original's
 * headers plus where it came from and why), archiving the original in the same transaction, as a careful worker
 * does. Shadow copies are read and archived without counting as runs: Celery stays authoritative in shadow.
 */
final class PgmqWorker implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Task id → times it ran successfully on pgmq. */
    final Map<String, AtomicInteger> ran = new ConcurrentHashMap<>();
    /** Task id → times it was dead-lettered. */
    final Map<String, AtomicInteger> deadLettered = new ConcurrentHashMap<>();

    private final DataSource db;
    private final PgmqClient pgmq;
    private final QueueName queue;
    private final QueueName shadow;
    private final Thread thread;
    private volatile boolean failing;
    private volatile boolean stalled;
    private volatile boolean running = true;

    PgmqWorker(DataSource db, String queue, String shadow) {
        this.db = db;
        this.pgmq = new PgmqClient(db);
        this.queue = QueueName.of(queue);
        this.shadow = QueueName.of(shadow);
        this.thread = new Thread(this::loop, "test-pgmq-worker");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void failing(boolean value) {
        failing = value;
    }

    /** Stops reading the rollout's queue (between batches, so it holds nothing), as a hung consumer would. */
    void stalled(boolean value) {
        stalled = value;
    }

    private void loop() {
        while (running) {
            try {
                List<PgmqMessage> copies = pgmq.read(shadow, 30, 50, null);
                if (!copies.isEmpty()) {
                    pgmq.archive(shadow, copies.stream().map(PgmqMessage::msgId).toList());
                }
                List<PgmqMessage> batch = stalled ? List.of() : pgmq.read(queue, 30, 20, null);
                for (PgmqMessage m : batch) {
                    handle(m);
                }
                if (batch.isEmpty() && copies.isEmpty()) {
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | SQLException e) {
                // the test's stores are local; a failed read is tried again
            }
        }
    }

    private void handle(PgmqMessage m) throws SQLException {
        String id = headers(m).path(CeleryHeaders.ID).asText();
        if (!failing) {
            pgmq.archive(queue, m.msgId());
            ran.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            return;
        }
        ObjectNode h = headers(m).deepCopy();
        h.put("original_msg_id", Long.toString(m.msgId()));
        h.put("original_queue", queue.value());
        h.put("error", "worker broke: connection refused by the mail server");
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            pgmq.in(c).send(QueueName.of(queue.value() + "_dlq"), m.message(), h.toString(), Delay.none());
            pgmq.in(c).archive(queue, m.msgId());
            c.commit();
        }
        deadLettered.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    }

    private static JsonNode headers(PgmqMessage m) {
        try {
            return m.headers() == null ? JSON.createObjectNode() : JSON.readTree(m.headers());
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
