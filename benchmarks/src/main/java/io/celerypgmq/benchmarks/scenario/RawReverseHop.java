package io.celerypgmq.benchmarks.scenario;

import io.celerypgmq.benchmarks.env.BenchEnv;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw limit of the way back: {@code pgmq.read} a batch, one LPUSH of the stored envelopes, {@code pgmq.archive} the
 * batch. Nothing is rebuilt or checked and no idempotency marker is written; what the reverse pump could at most do.
 */
public final class RawReverseHop implements Scenario {
    private static final String READ = "SELECT msg_id, message::text FROM pgmq.read(?::text, 60, ?)";
    private static final String ARCHIVE = "SELECT * FROM pgmq.archive(?::text, ?::bigint[])";

    private final BenchEnv env;
    private final int batch;

    public RawReverseHop(BenchEnv env, int batch) {
        this.env = env;
        this.batch = batch;
    }

    @Override
    public String id() {
        return "raw.reverse_hop.b" + batch;
    }

    @Override
    public String label() {
        return "raw: way back read→LPUSH→archive, b" + batch;
    }

    @Override
    public String group() {
        return "raw";
    }

    @Override
    public void prepare(int messages) {
        env.reset();
        List<String> chunk = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            chunk.add(new String(env.messages().next(), StandardCharsets.UTF_8));
            if (chunk.size() == 500 || i == messages - 1) {
                env.pgmq().sendBatch(BenchEnv.QUEUE, chunk);
                chunk.clear();
            }
        }
    }

    @Override
    public long run() {
        byte[] list = BenchEnv.WORKERS.getBytes(StandardCharsets.UTF_8);
        long moved = 0;
        try (Connection c = env.db().getConnection();
                PreparedStatement read = c.prepareStatement(READ);
                PreparedStatement archive = c.prepareStatement(ARCHIVE)) {
            c.setAutoCommit(true);
            while (true) {
                List<Long> ids = new ArrayList<>(batch);
                List<byte[]> bodies = new ArrayList<>(batch);
                read.setString(1, BenchEnv.QUEUE.value());
                read.setInt(2, batch);
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        bodies.add(rs.getString(2).getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (ids.isEmpty()) {
                    return moved;
                }
                env.redis().lpush(list, bodies.toArray(byte[][]::new));
                archive.setString(1, BenchEnv.QUEUE.value());
                archive.setArray(2, c.createArrayOf("bigint", ids.toArray()));
                archive.executeQuery().close();
                moved += ids.size();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("raw reverse hop failed", e);
        }
    }

    @Override
    public long check() {
        return env.pgmqCount(BenchEnv.QUEUE) == 0 ? env.length(BenchEnv.WORKERS) : -1;
    }
}
