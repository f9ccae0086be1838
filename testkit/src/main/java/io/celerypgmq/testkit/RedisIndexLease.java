package io.celerypgmq.testkit;

import io.celerypgmq.config.RedisUrl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * One Redis database index held by one test class. The lease is a key in database 0, so test JVMs running at the same
 * time (other modules' builds) never hand out the same index; it expires on its own if a JVM dies holding it.
 */
final class RedisIndexLease implements ExtensionContext.Store.CloseableResource {
    static final String KEY_PREFIX = "celery-pgmq:test-lease:";
    static final int LEASE_SECONDS = 3600;
    static final Duration WAIT_FOR_FREE_INDEX = Duration.ofSeconds(60);
    private static final String RELEASE_IF_OURS =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
    private static final Logger log = LoggerFactory.getLogger(RedisIndexLease.class);

    private final RedisServer server;
    private final String token;
    private final TestRedis handle;

    private RedisIndexLease(RedisServer server, String token, TestRedis handle) {
        this.server = server;
        this.token = token;
        this.handle = handle;
    }

    static RedisIndexLease acquire(RedisServer server, String owner) {
        return acquire(server, owner, WAIT_FOR_FREE_INDEX);
    }

    /** Leases a free index, waiting up to {@code wait} for one while other test classes hold them all. */
    static RedisIndexLease acquire(RedisServer server, String owner, Duration wait) {
        String token = owner + "/" + UUID.randomUUID();
        long deadline = System.currentTimeMillis() + wait.toMillis();
        try (Jedis jedis = connect(server.url())) {
            List<Integer> indexes = candidateIndexes(jedis);
            while (true) {
                Collections.shuffle(indexes); // spreads concurrent JVMs over the indexes instead of racing for 1
                for (int index : indexes) {
                    if ("OK"
                            .equals(jedis.set(
                                    KEY_PREFIX + index,
                                    token,
                                    SetParams.setParams().nx().ex(LEASE_SECONDS)))) {
                        TestRedis handle = new TestRedis(server.url().withDatabase(index), server.description());
                        flush(handle.url());
                        log.debug("testkit: redis database {} for {} on {}", index, owner, server);
                        return new RedisIndexLease(server, token, handle);
                    }
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new TestBackendException("all Redis database indexes " + indexes + " on " + server
                            + " stayed leased for " + wait.toSeconds() + " s (keys " + KEY_PREFIX
                            + "<n> in database 0); too many test classes at once, or leases left by killed runs");
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestBackendException("interrupted while leasing a Redis database index on " + server, e);
        } catch (JedisException e) {
            throw new TestBackendException("cannot lease a Redis database index on " + server, e);
        }
    }

    TestRedis handle() {
        return handle;
    }

    @Override
    public void close() {
        try (Jedis jedis = connect(server.url())) {
            flush(handle.url());
            jedis.eval(RELEASE_IF_OURS, List.of(KEY_PREFIX + handle.database()), List.of(token));
            log.debug("testkit: released redis database {}", handle.database());
        } catch (JedisException e) {
            throw new TestBackendException("cannot release Redis database " + handle.database() + " on " + server, e);
        }
    }

    static Jedis connect(RedisUrl url) {
        return new Jedis(
                new HostAndPort(url.host(), url.port()),
                DefaultJedisClientConfig.builder()
                        .user(url.user())
                        .password(url.password())
                        .database(url.database())
                        .ssl(url.tls())
                        .timeoutMillis(5_000)
                        .clientName("celery-pgmq-testkit")
                        .build());
    }

    static void ping(RedisUrl url) {
        try (Jedis jedis = connect(url)) {
            jedis.ping();
        }
    }

    private static void flush(RedisUrl url) {
        try (Jedis jedis = connect(url)) {
            jedis.flushDB();
        }
    }

    /** Indexes 1..15, fewer when the server is configured with fewer databases; 0 holds the leases. */
    private static List<Integer> candidateIndexes(Jedis jedis) {
        int databases = 16;
        try {
            String reply = jedis.configGet("databases").get("databases");
            if (reply != null) {
                databases = Integer.parseInt(reply);
            }
        } catch (JedisException | NumberFormatException e) {
            log.debug("testkit: CONFIG GET databases refused ({}); assuming 16", e.toString());
        }
        List<Integer> indexes = new ArrayList<>();
        for (int i = 1; i < Math.min(databases, 16); i++) {
            indexes.add(i);
        }
        if (indexes.isEmpty()) {
            throw new TestBackendException("Redis has only " + databases + " database(s); tests need at least 2");
        }
        return indexes;
    }
}
