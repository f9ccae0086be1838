package io.celerypgmq.benchmarks.scenario;

import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.bridge.store.SqlArrays;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Raw limit and the yardstick of every ratio: the least a safe Redis → pgmq hop can do. Claim a batch into an
 * in-flight list (Lua), one {@code send_batch} of the undecoded envelopes in one transaction, commit, forget the
 * in-flight list. No decoding, no routing, no ledger. {@code threads} hops share the source, each with its own
 * in-flight list and connection.
 */
public final class RawHop implements Scenario {
    private final BenchEnv env;
    private final int batch;
    private final int threads;
    private int given;

    public RawHop(BenchEnv env, int batch, int threads) {
        this.env = env;
        this.batch = batch;
        this.threads = threads;
    }

    @Override
    public String id() {
        return "raw.hop.b" + batch + ".t" + threads;
    }

    @Override
    public String label() {
        return "raw: hop claim→send_batch→commit→forget, b" + batch + ", " + threads + " thread"
                + (threads > 1 ? "s" : "");
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public String group() {
        return "raw";
    }

    @Override
    public void prepare(int messages) {
        env.reset();
        env.fill(BenchEnv.SOURCE, messages);
        given = messages;
    }

    @Override
    public long run() {
        return ParallelRuns.sum(threads, this::hop);
    }

    private long hop(int thread) {
        RawClaim claim = new RawClaim(env.redis(), BenchEnv.SOURCE, "bench:raw-inflight:" + thread, batch);
        long moved = 0;
        try (Connection c = env.db().getConnection();
                PreparedStatement ps = c.prepareStatement(RawSendBatch.SEND_BATCH)) {
            c.setAutoCommit(false);
            for (List<byte[]> got = claim.claim(); !got.isEmpty(); got = claim.claim()) {
                String[] texts = new String[got.size()];
                for (int i = 0; i < texts.length; i++) {
                    texts[i] = new String(got.get(i), StandardCharsets.UTF_8);
                }
                ps.setString(1, BenchEnv.QUEUE.value());
                SqlArrays.text(ps, 2, texts);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        moved++;
                    }
                }
                c.commit();
                claim.forget();
            }
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException("raw hop failed", e);
        }
        return moved;
    }

    @Override
    public long check() {
        return env.length(BenchEnv.SOURCE) == 0 ? env.pgmqCount(BenchEnv.QUEUE) : -given;
    }
}
