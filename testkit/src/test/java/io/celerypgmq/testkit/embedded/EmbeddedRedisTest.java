package io.celerypgmq.testkit.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Runs always, whatever other backends exist: the CLI demo depends on it. */
class EmbeddedRedisTest {

    @Test
    void anEmbeddedRedisServesCommandsAndStopsListeningAfterClose() {
        int port;
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            port = redis.port();
            assertThat(redis.url().masked()).isEqualTo("redis://127.0.0.1:" + port + "/0");
            assertSetGetWorks(redis);
        }
        assertThat(Ports.isListening("127.0.0.1", port, 500)).isFalse();
    }

    @Test
    void theBundledBinaryWorksWhenNoRedisIsInstalled() {
        Path binary = RedisBinary.bundled(Platform.current(), CacheDirectory.base(RunAs.isRoot()));
        int port;
        try (EmbeddedRedis redis = EmbeddedRedis.start(binary)) {
            port = redis.port();
            assertThat(redis.version()).startsWith("6.2.");
            assertSetGetWorks(redis);
        }
        assertThat(Ports.isListening("127.0.0.1", port, 500)).isFalse();
    }

    @Test
    void closingTwiceIsHarmless() {
        EmbeddedRedis redis = EmbeddedRedis.start();
        redis.close();
        redis.close();
        assertThat(Ports.isListening("127.0.0.1", redis.port(), 500)).isFalse();
    }

    @Test
    void aPersistentServerKeepsItsListsAcrossARestart() {
        try (EmbeddedRedis redis = EmbeddedRedis.startPersistent()) {
            try (Jedis jedis = new Jedis(redis.url().host(), redis.url().port())) {
                jedis.rpush("celery", "m1", "m2");
            }
            redis.restart();
            try (Jedis jedis = new Jedis(redis.url().host(), redis.url().port())) {
                assertThat(jedis.lrange("celery", 0, -1)).containsExactly("m1", "m2");
            }
        }
    }

    private static void assertSetGetWorks(EmbeddedRedis redis) {
        try (Jedis jedis = new Jedis(redis.url().host(), redis.url().port())) {
            jedis.select(7);
            jedis.rpush("celery", "m1", "m2");
            assertThat(jedis.lrange("celery", 0, -1)).containsExactly("m1", "m2");
            assertThat(jedis.configGet("save").get("save")).isEmpty();
        }
    }
}
