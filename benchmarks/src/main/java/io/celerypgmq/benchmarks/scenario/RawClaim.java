package io.celerypgmq.benchmarks.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/** The raw limits' Redis side: claim a batch into an in-flight list by Lua, forget it after the hand-off. */
final class RawClaim {
    private static final byte[] SCRIPT = load();

    private final UnifiedJedis redis;
    private final byte[] source;
    private final byte[] inFlight;
    private final byte[] batch;
    private byte[] sha;

    RawClaim(UnifiedJedis redis, String source, String inFlight, int batch) {
        this.redis = redis;
        this.source = source.getBytes(StandardCharsets.UTF_8);
        this.inFlight = inFlight.getBytes(StandardCharsets.UTF_8);
        this.batch = Integer.toString(batch).getBytes(StandardCharsets.US_ASCII);
    }

    @SuppressWarnings("unchecked")
    List<byte[]> claim() {
        if (sha == null) {
            sha = redis.scriptLoad(SCRIPT, source);
        }
        return (List<byte[]>) redis.evalsha(sha, List.of(source, inFlight), List.of(batch));
    }

    void forget() {
        redis.del(inFlight);
    }

    private static byte[] load() {
        try (InputStream in = RawClaim.class.getResourceAsStream("/io/celerypgmq/benchmarks/raw_claim.lua")) {
            if (in == null) {
                throw new IllegalStateException("raw_claim.lua missing from the benchmarks jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
