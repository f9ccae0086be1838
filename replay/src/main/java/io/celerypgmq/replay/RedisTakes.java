package io.celerypgmq.replay;

import io.celerypgmq.bridge.redis.ClaimedMessage;
import io.celerypgmq.bridge.redis.InFlightList;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import redis.clients.jedis.UnifiedJedis;

/**
 * The two atomic moves a drain makes in Redis, each one Lua script: chosen list elements, and chosen {@code unacked}
 * entries, into the job's in-flight list. What they return is exactly what the in-flight list now holds.
 */
final class RedisTakes {
    private final UnifiedJedis redis;
    private final InFlightList inFlight;
    private final ReplayContext ctx;
    private final byte[] tombstone;

    RedisTakes(UnifiedJedis redis, InFlightList inFlight, ReplayContext ctx, String jobId) {
        this.redis = redis;
        this.inFlight = inFlight;
        this.ctx = ctx;
        // Not JSON, so no Celery message can ever equal it.
        this.tombstone =
                ("celery-pgmq:replay:tombstone:" + jobId + ":" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    }

    /** Takes the chosen elements of {@code key} that are still where they were seen. */
    List<ClaimedMessage> listed(String key, List<ListPeek.Seen> chosen) {
        List<byte[]> args = new ArrayList<>(chosen.size() * 2 + 1);
        args.add(tombstone);
        Map<Long, byte[]> byOffset = new HashMap<>();
        for (ListPeek.Seen s : chosen) {
            args.add(Long.toString(s.tailOffset()).getBytes(StandardCharsets.US_ASCII));
            args.add(s.raw());
            byOffset.put(s.tailOffset(), s.raw());
        }
        List<byte[]> keys = List.of(utf8(inFlight.key()), utf8(key));
        List<?> taken = (List<?>) ReplayScript.TAKE_LISTED.run(redis, keys, args);
        List<ClaimedMessage> out = new ArrayList<>(taken.size());
        for (Object offset : taken) {
            long o = Long.parseLong(new String((byte[]) offset, StandardCharsets.US_ASCII));
            out.add(new ClaimedMessage(key, byOffset.get(o)));
        }
        return out;
    }

    /** Takes the chosen entries still delivered at or before {@code cutoff}; null while Celery holds the mutex. */
    List<ClaimedMessage> unacked(List<UnackedPeek.Entry> chosen, double cutoff) {
        List<byte[]> args = new ArrayList<>(chosen.size() + 1);
        args.add(Double.toString(cutoff).getBytes(StandardCharsets.US_ASCII));
        Map<String, byte[]> byTag = new HashMap<>();
        for (UnackedPeek.Entry e : chosen) {
            args.add(utf8(e.tag()));
            byTag.put(e.tag(), e.value());
        }
        List<byte[]> keys = List.of(
                utf8(inFlight.key()), utf8(ctx.unackedKey()), utf8(ctx.unackedIndexKey()), utf8(ctx.unackedMutexKey()));
        Object reply = ReplayScript.TAKE_UNACKED.run(redis, keys, args);
        if (reply == null) {
            return null;
        }
        Set<String> seen = new HashSet<>();
        List<ClaimedMessage> out = new ArrayList<>();
        for (Object tag : (List<?>) reply) {
            String t = new String((byte[]) tag, StandardCharsets.UTF_8);
            if (seen.add(t)) {
                out.add(new ClaimedMessage(ctx.unackedKey(), byTag.get(t)));
            }
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
