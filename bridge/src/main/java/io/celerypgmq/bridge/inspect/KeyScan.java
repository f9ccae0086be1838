package io.celerypgmq.bridge.inspect;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * One SCAN over a Redis database that can stop after a number of calls and go on later from where it stopped: a
 * caller that must answer quickly spends a bounded budget per turn instead of walking a million keys at once. Keys
 * that exist for the whole scan are found once it is {@link #complete()} (SCAN's guarantee); what was found before
 * is a sample.
 */
public final class KeyScan {
    /** Keys Redis looks at per call: about 2 ms of server time on a database of a million keys. */
    public static final int KEYS_PER_CALL = 1000;

    private final UnifiedJedis redis;
    private final ScanParams params;
    private final String type;
    private final Set<String> found = new TreeSet<>();
    private String cursor = ScanParams.SCAN_POINTER_START;
    private boolean typeFilterWorks = true;
    private boolean complete;
    private long calls;

    /**
     * @param match a SCAN MATCH glob (escape literal parts with {@link RedisKeyspace#glob})
     * @param type the Redis type to keep ({@code list}, {@code set}); SCAN filters by it on Redis 6+
     */
    KeyScan(UnifiedJedis redis, String match, String type) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.params = new ScanParams().match(match).count(KEYS_PER_CALL);
        this.type = Objects.requireNonNull(type, "type");
    }

    /** Makes at most {@code maxCalls} SCAN calls; returns whether the scan is complete. */
    public boolean advance(int maxCalls) {
        for (int i = 0; i < maxCalls && !complete; i++) {
            ScanResult<String> page = page();
            calls++;
            found.addAll(page.getResult());
            cursor = page.getCursor();
            complete = ScanParams.SCAN_POINTER_START.equals(cursor);
        }
        return complete;
    }

    private ScanResult<String> page() {
        if (typeFilterWorks) {
            try {
                return redis.scan(cursor, params, type);
            } catch (JedisDataException olderThanRedis6) {
                typeFilterWorks = false;
            }
        }
        ScanResult<String> page = redis.scan(cursor, params);
        List<String> ofType = page.getResult().stream()
                .filter(k -> type.equals(redis.type(k)))
                .toList();
        return new ScanResult<>(page.getCursor(), ofType);
    }

    /** Every key of the type found so far (all of them once complete), sorted. */
    public Set<String> found() {
        return Collections.unmodifiableSet(found);
    }

    public boolean complete() {
        return complete;
    }

    /** SCAN calls made so far. */
    public long calls() {
        return calls;
    }
}
