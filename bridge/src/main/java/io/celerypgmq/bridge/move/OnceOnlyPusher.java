package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.store.Futures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import redis.clients.jedis.UnifiedJedis;

/**
 * LPUSHes messages onto Celery lists at most once per idempotency key, writing the marker atomically with the push.
 * The reverse pump keys markers by pgmq queue and msg_id, so a message pushed and then not archived (crash) is
 * archived on redo without a second copy reaching Celery.
 */
public final class OnceOnlyPusher {
    /** Markers outlive any plausible redo; a week also covers a long rollback window. */
    public static final Duration MARKER_TTL = Duration.ofDays(7);

    private static final LuaScript PUSH_ONCE = LuaScript.load("/io/celerypgmq/bridge/move/push_once.lua");

    /** One message to push: the marker that makes it once-only, the list, the bytes. */
    public record Push(String markerKey, String listKey, byte[] raw) {
        public Push {
            Objects.requireNonNull(markerKey, "markerKey");
            Objects.requireNonNull(listKey, "listKey");
            Objects.requireNonNull(raw, "raw");
        }
    }

    private final UnifiedJedis redis;
    private final ExecutorService meanwhile;

    /** A pusher that pushes on the caller's thread only ({@link #push}). */
    public OnceOnlyPusher(UnifiedJedis redis) {
        this(redis, null);
    }

    /** @param meanwhile the threads {@link #pushMeanwhile} pushes on, owned by the caller */
    public OnceOnlyPusher(UnifiedJedis redis, ExecutorService meanwhile) {
        this.redis = redis;
        this.meanwhile = meanwhile;
    }

    /** Pushes each message unless its marker exists; returns, per message, whether it was pushed now. */
    public List<Boolean> push(List<Push> pushes) {
        if (pushes.isEmpty()) {
            return List.of();
        }
        List<byte[]> keys = new ArrayList<>(pushes.size() * 2);
        List<byte[]> args = new ArrayList<>(pushes.size() + 1);
        for (Push p : pushes) {
            keys.add(p.markerKey().getBytes(StandardCharsets.UTF_8));
            keys.add(p.listKey().getBytes(StandardCharsets.UTF_8));
            args.add(p.raw());
        }
        args.add(Long.toString(MARKER_TTL.toSeconds()).getBytes(StandardCharsets.US_ASCII));
        List<?> flags = (List<?>) PUSH_ONCE.run(redis, keys, args);
        List<Boolean> out = new ArrayList<>(flags.size());
        for (Object f : flags) {
            out.add(Long.valueOf(1).equals(f));
        }
        return out;
    }

    /**
     * {@link #push} on a thread of its own, so the caller can write its half meanwhile (the archive, in a transaction
     * that commits only after {@link Pending#await} has returned).
     */
    public Pending pushMeanwhile(List<Push> pushes) {
        if (meanwhile == null) {
            throw new IllegalStateException("this pusher was made without threads to push meanwhile");
        }
        return new Pending(meanwhile.submit(() -> push(pushes)));
    }

    /** A push under way. */
    public static final class Pending {
        private final Future<List<Boolean>> push;

        private Pending(Future<List<Boolean>> push) {
            this.push = push;
        }

        /** What {@link #push} returned, or its failure rethrown as it was. */
        public List<Boolean> await() {
            return Futures.await(push);
        }

        /** Waits for the push to end when its outcome no longer matters (the caller is failing the batch anyway). */
        public void settle() {
            Futures.settle(push);
        }
    }
}
