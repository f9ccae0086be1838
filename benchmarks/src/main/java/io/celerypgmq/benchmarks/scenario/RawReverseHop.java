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
 * Raw limits of the way back: take a batch, one LPUSH of the stored envelopes, {@code pgmq.archive} the batch. Nothing
 * is rebuilt or checked and no idempotency marker is written. Two ways to take it:
 *
 * <ul>
 *   <li>{@code read}: {@code pgmq.read} (which hides the rows by raising their {@code vt}: a new version of every row,
 *       1.2 KB each), the push, then {@code archive}, each committed on its own: what a pgmq consumer does;
 *   <li>{@code locked}: lock the visible rows ({@code FOR UPDATE SKIP LOCKED}, as {@code pgmq.read} does first), push,
 *       archive and commit in one transaction: nothing is rewritten before the archive, and a crash leaves the rows
 *       as they were. The least a safe way back can do, and what the reverse pump and replay's rollback do.
 * </ul>
 */
public final class RawReverseHop implements Scenario {
    private static final String READ = "SELECT msg_id, message::text FROM pgmq.read(?::text, 60, ?)";
    private static final String LOCK = "SELECT msg_id, message::text FROM pgmq.\"" + BenchEnv.QUEUE.queueTable()
            + "\" WHERE vt <= clock_timestamp() ORDER BY msg_id LIMIT ? FOR UPDATE SKIP LOCKED";
    private static final String ARCHIVE = "SELECT * FROM pgmq.archive(?::text, ?::bigint[])";

    private final BenchEnv env;
    private final int batch;
    private final boolean locked;

    /** @param locked lock, push, archive in one transaction; else {@code pgmq.read}, push, archive */
    public RawReverseHop(BenchEnv env, int batch, boolean locked) {
        this.env = env;
        this.batch = batch;
        this.locked = locked;
    }

    @Override
    public String id() {
        return (locked ? "raw.reverse_locked.b" : "raw.reverse_hop.b") + batch;
    }

    @Override
    public String label() {
        return locked
                ? "raw: way back lock→LPUSH→archive→commit, b" + batch
                : "raw: way back read→LPUSH→archive, b" + batch;
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
                PreparedStatement read = c.prepareStatement(locked ? LOCK : READ);
                PreparedStatement archive = c.prepareStatement(ARCHIVE)) {
            c.setAutoCommit(!locked);
            while (true) {
                List<Long> ids = new ArrayList<>(batch);
                List<byte[]> bodies = new ArrayList<>(batch);
                if (locked) {
                    read.setInt(1, batch);
                } else {
                    read.setString(1, BenchEnv.QUEUE.value());
                    read.setInt(2, batch);
                }
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        bodies.add(rs.getString(2).getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (ids.isEmpty()) {
                    if (locked) {
                        c.rollback();
                        c.setAutoCommit(true);
                    }
                    return moved;
                }
                env.redis().lpush(list, bodies.toArray(byte[][]::new));
                archive.setString(1, BenchEnv.QUEUE.value());
                archive.setArray(2, c.createArrayOf("bigint", ids.toArray()));
                archive.executeQuery().close();
                if (locked) {
                    c.commit();
                }
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
