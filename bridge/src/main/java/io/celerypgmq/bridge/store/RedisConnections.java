package io.celerypgmq.bridge.store;

import io.celerypgmq.config.RedisUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/** Opens a pooled Redis client for Celery's broker database, checking it with PING so start-up fails fast. */
public final class RedisConnections {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);
    static final int TIMEOUT_MILLIS = 5_000;

    private RedisConnections() {}

    public static JedisClientConfig clientConfig(RedisUrl url) {
        return DefaultJedisClientConfig.builder()
                .user(url.user())
                .password(url.password())
                .database(url.database())
                .ssl(url.tls())
                .connectionTimeoutMillis(TIMEOUT_MILLIS)
                .socketTimeoutMillis(TIMEOUT_MILLIS)
                .clientName("celery-pgmq")
                .build();
    }

    /**
     * A pooled client for {@code url}.
     *
     * @throws StoreUnavailableException when Redis cannot be reached or refuses the credentials
     */
    public static JedisPooled open(RedisUrl url) {
        JedisPooled redis = new JedisPooled(new HostAndPort(url.host(), url.port()), clientConfig(url));
        try {
            redis.ping();
        } catch (JedisException e) {
            redis.close();
            throw new StoreUnavailableException("Redis", url.masked(), url.password(), e);
        }
        LOG.info("[redis] connected to {}", url.masked());
        return redis;
    }
}
