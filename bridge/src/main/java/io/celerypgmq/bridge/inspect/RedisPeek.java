package io.celerypgmq.bridge.inspect;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Reads Celery's lists and {@code unacked} hash page by page without taking anything: LRANGE and HSCAN only, so a
 * queue of millions never sits in memory and workers are not disturbed.
 *
 * <p>Lists are read from the tail, where workers BRPOP, so elements come in the order a worker would run them, and
 * producers' LPUSHes at the head do not shift the pages. While workers consume, a page may skip or repeat elements:
 * what comes back is a peek, not a snapshot.
 */
public final class RedisPeek {
    public static final int DEFAULT_PAGE_SIZE = 500;

    /** A list element; position 0 is the next one a worker takes. */
    public record Element(String key, long position, byte[] raw) {
        public Element {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(raw, "raw");
        }
    }

    /** A value of the {@code unacked} hash, under its delivery tag. */
    public record UnackedValue(String key, String deliveryTag, byte[] raw) {
        public UnackedValue {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(raw, "raw");
        }
    }

    private final UnifiedJedis redis;
    private final int pageSize;

    public RedisPeek(UnifiedJedis redis, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be at least 1, got " + pageSize);
        }
        this.redis = Objects.requireNonNull(redis, "redis");
        this.pageSize = pageSize;
    }

    /**
     * Hands every element of {@code key} to {@code visitor}, next-to-run first, until it returns false.
     *
     * @return how many elements were handed over
     */
    public long forEachElement(String key, Predicate<Element> visitor) {
        byte[] name = key.getBytes(StandardCharsets.UTF_8);
        long offset = 0;
        while (true) {
            List<byte[]> page = redis.lrange(name, -(offset + pageSize), -(offset + 1));
            for (int i = page.size() - 1; i >= 0; i--) {
                if (!visitor.test(new Element(key, offset++, page.get(i)))) {
                    return offset;
                }
            }
            if (page.size() < pageSize) {
                return offset;
            }
        }
    }

    /**
     * Hands every value of the hash {@code key} to {@code visitor} until it returns false.
     *
     * @return how many values were handed over
     */
    public long forEachUnacked(String key, Predicate<UnackedValue> visitor) {
        byte[] name = key.getBytes(StandardCharsets.UTF_8);
        ScanParams params = new ScanParams().count(pageSize);
        byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
        long seen = 0;
        do {
            ScanResult<Map.Entry<byte[], byte[]>> page = redis.hscan(name, cursor, params);
            for (Map.Entry<byte[], byte[]> e : page.getResult()) {
                seen++;
                if (!visitor.test(
                        new UnackedValue(key, new String(e.getKey(), StandardCharsets.UTF_8), e.getValue()))) {
                    return seen;
                }
            }
            cursor = page.getCursorAsBytes();
        } while (!ScanParams.SCAN_POINTER_START.equals(new String(cursor, StandardCharsets.US_ASCII)));
        return seen;
    }

    /** When kombu delivered an {@code unacked} entry (its {@code unacked_index} score, epoch seconds). */
    public Optional<Double> deliveredAt(String indexKey, String deliveryTag) {
        return Optional.ofNullable(redis.zscore(indexKey, deliveryTag));
    }

    public long length(String key) {
        return redis.llen(key);
    }

    public long hashLength(String key) {
        return redis.hlen(key);
    }
}
