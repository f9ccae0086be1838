package io.celerypgmq.verifier.compare;

import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.config.RedisUrl;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.JedisPooled;

/**
 * Celery's Redis result backend, connected on first use: a report without shadow copies never needs it, and one
 * whose backend is gone (after cutover) still reports everything else.
 */
public final class RedisResultBackend implements ResultBackend, AutoCloseable {
    private final RedisUrl url;
    private final String keyPrefix;
    private JedisPooled redis;
    private CeleryResults results;

    public RedisResultBackend(RedisUrl url, String keyPrefix) {
        this.url = url;
        this.keyPrefix = keyPrefix;
    }

    @Override
    public synchronized Map<String, CeleryState> states(List<String> taskIds) {
        if (results == null) {
            redis = RedisConnections.open(url);
            results = new CeleryResults(redis, keyPrefix, url.masked());
        }
        return results.states(taskIds);
    }

    @Override
    public String describe() {
        return url.masked();
    }

    @Override
    public synchronized void close() {
        if (redis != null) {
            redis.close();
            redis = null;
            results = null;
        }
    }
}
