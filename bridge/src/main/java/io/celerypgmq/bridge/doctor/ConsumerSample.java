package io.celerypgmq.bridge.doctor;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import redis.clients.jedis.UnifiedJedis;

/**
 * Whether anyone takes from a queue: Redis does not say which lists a client BRPOPs, so watch the lists instead. A
 * worker takes the tail, so a tail that changed, or a list that got shorter, between two looks means a consumer.
 */
final class ConsumerSample {
    private record Mark(long length, byte[] tail) {}

    private final Map<String, Mark> before;

    private ConsumerSample(Map<String, Mark> before) {
        this.before = before;
    }

    static ConsumerSample start(UnifiedJedis redis, Collection<String> keys) {
        Map<String, Mark> marks = new LinkedHashMap<>();
        for (String key : keys) {
            marks.put(key, mark(redis, key));
        }
        return new ConsumerSample(marks);
    }

    /** The keys something took from since {@link #start}. */
    Set<String> consumed(UnifiedJedis redis) {
        Set<String> out = new TreeSet<>();
        before.forEach((key, then) -> {
            Mark now = mark(redis, key);
            if (now.length() < then.length() || !Arrays.equals(now.tail(), then.tail())) {
                out.add(key);
            }
        });
        return out;
    }

    private static Mark mark(UnifiedJedis redis, String key) {
        byte[] name = key.getBytes(StandardCharsets.UTF_8);
        return new Mark(redis.llen(name), redis.lindex(name, -1));
    }
}
