package io.celerypgmq.benchmarks.scenario;

import io.celerypgmq.benchmarks.env.BenchEnv;
import java.util.List;

/** Raw limit: how fast Redis gives messages up in batches claimed into an in-flight list, with nothing else done. */
public final class RedisDrain implements Scenario {
    private final BenchEnv env;
    private final int batch;
    private int given;

    public RedisDrain(BenchEnv env, int batch) {
        this.env = env;
        this.batch = batch;
    }

    @Override
    public String id() {
        return "raw.redis_drain.b" + batch;
    }

    @Override
    public String label() {
        return "raw: Redis drain (Lua claim " + batch + " + forget)";
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
        RawClaim claim = new RawClaim(env.redis(), BenchEnv.SOURCE, "bench:raw-inflight:0", batch);
        long moved = 0;
        for (List<byte[]> got = claim.claim(); !got.isEmpty(); got = claim.claim()) {
            moved += got.size();
            claim.forget();
        }
        return moved;
    }

    @Override
    public long check() {
        return given - env.length(BenchEnv.SOURCE);
    }
}
