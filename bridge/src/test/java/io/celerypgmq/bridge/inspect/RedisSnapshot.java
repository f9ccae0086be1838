package io.celerypgmq.bridge.inspect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/** Every key of a Redis database with its type and full content, to prove a read-only tool changed nothing. */
public final class RedisSnapshot {
    private RedisSnapshot() {}

    public static Map<String, String> of(UnifiedJedis redis) {
        Map<String, String> out = new TreeMap<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, new ScanParams().count(1000));
            for (String key : page.getResult()) {
                out.put(key, describe(redis, key));
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return out;
    }

    private static String describe(UnifiedJedis redis, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        String type = redis.type(key);
        return type + ":"
                + switch (type) {
                    case "list" -> redis.lrange(k, 0, -1).stream()
                            .map(RedisSnapshot::b64)
                            .toList();
                    case "hash" -> {
                        Map<String, String> m = new TreeMap<>();
                        redis.hgetAll(k).forEach((f, v) -> m.put(b64(f), b64(v)));
                        yield m;
                    }
                    case "set" -> new TreeSet<>(redis.smembers(key));
                    case "zset" -> {
                        List<String> z = new ArrayList<>();
                        for (Tuple t : redis.zrangeWithScores(key, 0, -1)) {
                            z.add(t.getElement() + "=" + t.getScore());
                        }
                        yield z;
                    }
                    case "string" -> b64(redis.get(k));
                    default -> "?";
                } + " ttl=" + (redis.ttl(key) > 0 ? "set" : String.valueOf(redis.ttl(key)));
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
