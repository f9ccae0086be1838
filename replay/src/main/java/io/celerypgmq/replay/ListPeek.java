package io.celerypgmq.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * Reads a Celery list page by page from its tail (where workers pop), without changing it: LRANGE only. Offsets count
 * from the tail, so producers LPUSHing at the head do not move the elements a scan has yet to see.
 */
final class ListPeek {
    /** One element seen at {@code tailOffset} (0 = the element a worker would pop next). */
    record Seen(long tailOffset, byte[] raw) {}

    private final UnifiedJedis redis;

    ListPeek(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** Up to {@code size} elements starting {@code tailOffset} from the tail, tail-most first. */
    List<Seen> page(String key, long tailOffset, int size) {
        List<byte[]> raw = redis.lrange(key.getBytes(StandardCharsets.UTF_8), -(tailOffset + size), -(tailOffset + 1));
        Collections.reverse(raw);
        List<Seen> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            out.add(new Seen(tailOffset + i, raw.get(i)));
        }
        return out;
    }

    long length(String key) {
        return redis.llen(key.getBytes(StandardCharsets.UTF_8));
    }
}
