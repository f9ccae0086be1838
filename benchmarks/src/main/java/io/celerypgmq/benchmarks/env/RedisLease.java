package io.celerypgmq.benchmarks.env;

import io.celerypgmq.config.RedisUrl;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * Holds one Redis database index for the run, through the same lease keys the testkit uses (database 0,
 * {@code celery-pgmq:test-lease:<n>}), so a test build running beside the bench never flushes our lists nor we theirs.
 */
final class RedisLease implements AutoCloseable {
    private static final String PREFIX = "celery-pgmq:test-lease:";
    private static final String RELEASE =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    private final RedisUrl server;
    private final RedisUrl url;
    private final String token;
    private final Thread hook = new Thread(this::close, "bench-redis-lease");
    private boolean released;

    private RedisLease(RedisUrl server, int index, String token) {
        this.server = server;
        this.token = token;
        this.url = server.withDatabase(index);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static RedisLease acquire(RedisUrl server) {
        long deadline = System.currentTimeMillis() + 60_000;
        try (Jedis j = new Jedis(server.host(), server.port(), 5_000)) {
            authenticate(j, server);
            while (true) {
                for (int index = 15; index >= 1; index--) {
                    String token = "bench/" + UUID.randomUUID();
                    if ("OK"
                            .equals(j.set(
                                    PREFIX + index,
                                    token,
                                    SetParams.setParams().nx().ex(3_600)))) {
                        RedisLease lease = new RedisLease(server, index, token);
                        try (Jedis db = new Jedis(server.host(), server.port(), 5_000)) {
                            authenticate(db, server);
                            db.select(index);
                            db.flushDB();
                        }
                        return lease;
                    }
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("every Redis database index on " + server.masked()
                            + " stayed leased for 60 s (keys " + PREFIX + "<n> in database 0)");
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while leasing a Redis index", e);
        }
    }

    RedisUrl url() {
        return url;
    }

    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        try (Jedis j = new Jedis(server.host(), server.port(), 5_000)) {
            authenticate(j, server);
            j.select(url.database());
            j.flushDB();
            j.select(0);
            j.eval(RELEASE, List.of(PREFIX + url.database()), List.of(token));
        } catch (RuntimeException e) {
            // the lease expires by itself within the hour
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    private static void authenticate(Jedis j, RedisUrl url) {
        if (url.password() != null) {
            if (url.user() != null) {
                j.auth(url.user(), url.password());
            } else {
                j.auth(url.password());
            }
        }
    }
}
