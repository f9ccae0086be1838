package io.celerypgmq.benchmarks.scenario;

import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.bridge.store.SqlArrays;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw limit: {@code pgmq.send_batch} of ready-made Celery envelopes over plain JDBC, auto-commit, one connection.
 * The envelopes are made before the clock starts (a ring of distinct ones, reused), so only Postgres is measured.
 */
public final class RawSendBatch implements Scenario {
    /** The bridge's own way of passing a batch of JSON (binary text[], cast per element), so the yardstick is fair. */
    static final String SEND_BATCH = "SELECT * FROM pgmq.send_batch(?::text, " + SqlArrays.JSONB + ")";

    private final BenchEnv env;
    private final int batch;
    private final List<String[]> ring = new ArrayList<>();
    private int given;

    public RawSendBatch(BenchEnv env, int batch) {
        this.env = env;
        this.batch = batch;
    }

    @Override
    public String id() {
        return "raw.send_batch.b" + batch;
    }

    @Override
    public String label() {
        return "raw: pgmq.send_batch " + batch + " (1 connection)";
    }

    @Override
    public String group() {
        return "raw";
    }

    @Override
    public void prepare(int messages) {
        env.reset();
        given = messages;
        if (ring.isEmpty()) {
            for (int b = 0; b < 20; b++) {
                String[] texts = new String[batch];
                for (int i = 0; i < batch; i++) {
                    texts[i] = new String(env.messages().next(), StandardCharsets.UTF_8);
                }
                ring.add(texts);
            }
        }
    }

    @Override
    public long run() {
        long moved = 0;
        try (Connection c = env.db().getConnection();
                PreparedStatement ps = c.prepareStatement(SEND_BATCH)) {
            c.setAutoCommit(true);
            for (int b = 0; moved < given; b++) {
                String[] texts = ring.get(b % ring.size());
                int n = (int) Math.min(texts.length, given - moved);
                String[] values = n == texts.length ? texts : java.util.Arrays.copyOf(texts, n);
                ps.setString(1, BenchEnv.QUEUE.value());
                SqlArrays.text(ps, 2, values);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        moved++;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("raw send_batch failed", e);
        }
        return moved;
    }

    @Override
    public long check() {
        return env.pgmqCount(BenchEnv.QUEUE);
    }
}
