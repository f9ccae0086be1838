package io.celerypgmq.bridge.interop;

import io.celerypgmq.config.RedisUrl;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Reads (never consumes) every list in a broker database: queues and priority lists, whatever their names. */
final class BrokerLists implements AutoCloseable {
    private final Jedis redis;

    BrokerLists(RedisUrl url) {
        this.redis = new Jedis(
                new HostAndPort(url.host(), url.port()),
                DefaultJedisClientConfig.builder()
                        .database(url.database())
                        .user(url.user())
                        .password(url.password())
                        .ssl(url.tls())
                        .build());
    }

    /** One raw element of a list, oldest (next to be consumed by a worker) first. */
    record Element(String key, int position, byte[] raw) {
        String text() {
            return new String(raw, StandardCharsets.UTF_8);
        }
    }

    /** Every element of every list, by key; keys sorted so failures read the same on every run. */
    Map<String, List<Element>> snapshot() {
        Map<String, List<Element>> lists = new TreeMap<>();
        ScanParams params = new ScanParams().count(1000);
        byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
        do {
            ScanResult<byte[]> page = redis.scan(cursor, params);
            for (byte[] key : page.getResult()) {
                if ("list".equals(redis.type(key))) {
                    lists.put(new String(key, StandardCharsets.UTF_8), elements(key));
                }
            }
            cursor = page.getCursorAsBytes();
        } while (!java.util.Arrays.equals(cursor, ScanParams.SCAN_POINTER_START_BINARY));
        return lists;
    }

    private List<Element> elements(byte[] key) {
        List<byte[]> raw = redis.lrange(key, 0, -1);
        String name = new String(key, StandardCharsets.UTF_8);
        List<Element> elements = new ArrayList<>(raw.size());
        // LPUSH puts the newest at the head; the worker BRPOPs the tail, so the tail is position 0.
        for (int i = raw.size() - 1; i >= 0; i--) {
            elements.add(new Element(name, raw.size() - 1 - i, raw.get(i)));
        }
        return elements;
    }

    void lpush(String key, byte[] raw) {
        redis.lpush(key.getBytes(StandardCharsets.UTF_8), raw);
    }

    Map<String, Long> lengths() {
        Map<String, Long> lengths = new LinkedHashMap<>();
        snapshot().forEach((key, elements) -> lengths.put(key, (long) elements.size()));
        return lengths;
    }

    void flush() {
        redis.flushDB();
    }

    @Override
    public void close() {
        redis.close();
    }
}
