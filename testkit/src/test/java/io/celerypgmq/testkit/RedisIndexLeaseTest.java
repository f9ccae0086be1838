package io.celerypgmq.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.testkit.embedded.EmbeddedRedis;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Database-index leases, on a private embedded Redis so filling every index disturbs no other build. */
class RedisIndexLeaseTest {
    private static EmbeddedRedis server;
    private static RedisServer redis;

    @BeforeAll
    static void startServer() {
        server = EmbeddedRedis.start();
        redis = new RedisServer(server.url(), "embedded redis " + server.version());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void flushEverything() {
        try (Jedis jedis = RedisIndexLease.connect(server.url())) {
            jedis.flushAll();
        }
    }

    @Test
    void concurrentLeasesGetDistinctIndexesAndAReleasedIndexCanBeLeasedAgain() {
        Set<Integer> indexes = new HashSet<>();
        List<RedisIndexLease> leases = new java.util.ArrayList<>();
        for (int i = 0; i < 15; i++) {
            RedisIndexLease lease = RedisIndexLease.acquire(redis, "Class" + i, Duration.ZERO);
            leases.add(lease);
            indexes.add(lease.handle().database());
        }
        assertThat(indexes).hasSize(15).allSatisfy(index -> assertThat(index).isBetween(1, 15));

        RedisIndexLease released = leases.get(3);
        released.close();
        RedisIndexLease again = RedisIndexLease.acquire(redis, "Later", Duration.ZERO);
        assertThat(again.handle().database()).isEqualTo(released.handle().database());
        again.close();
        leases.forEach(RedisIndexLease::close);
    }

    @Test
    void aLeasedDatabaseStartsEmptyAndIsFlushedOnRelease() {
        try (Jedis jedis = RedisIndexLease.connect(server.url())) {
            for (int db = 1; db <= 15; db++) {
                jedis.select(db);
                jedis.set("left-over", "from an earlier run");
            }
        }
        RedisIndexLease lease = RedisIndexLease.acquire(redis, "FlushIT", Duration.ZERO);
        int db = lease.handle().database();
        try (Jedis jedis = RedisIndexLease.connect(lease.handle().url())) {
            assertThat(jedis.dbSize()).isZero();
            jedis.set("mine", "1");
        }
        lease.close();
        try (Jedis jedis = RedisIndexLease.connect(server.url().withDatabase(db))) {
            assertThat(jedis.dbSize()).isZero();
        }
    }

    @Test
    void whenEveryIndexStaysLeasedTheFailureSaysSo() {
        try (Jedis jedis = RedisIndexLease.connect(server.url())) {
            for (int db = 1; db <= 15; db++) {
                jedis.set(RedisIndexLease.KEY_PREFIX + db, "another-jvm");
            }
        }

        assertThatThrownBy(() -> RedisIndexLease.acquire(redis, "LateIT", Duration.ofMillis(300)))
                .isInstanceOf(TestBackendException.class)
                .hasMessageContaining("stayed leased")
                .hasMessageContaining(RedisIndexLease.KEY_PREFIX + "<n> in database 0");
    }

    @Test
    void releasingDoesNotDeleteALeaseThatExpiredAndWasTakenByAnother() {
        RedisIndexLease lease = RedisIndexLease.acquire(redis, "SlowIT", Duration.ZERO);
        String key = RedisIndexLease.KEY_PREFIX + lease.handle().database();
        try (Jedis jedis = RedisIndexLease.connect(server.url())) {
            jedis.set(key, "someone-else"); // as if ours had expired and another JVM took the index
            lease.close();
            assertThat(jedis.get(key)).isEqualTo("someone-else");
        }
    }
}
