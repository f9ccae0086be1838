package io.celerypgmq.bridge.move;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

@RealBackends
class OnceOnlyPusherTest {

    @Test
    void aRedoneBatchPushesOnlyWhatWasNotPushedBefore(TestRedis backend) {
        try (JedisPooled redis = RedisConnections.open(backend.url())) {
            OnceOnlyPusher pusher = new OnceOnlyPusher(redis);
            byte[] m1 = "m1".getBytes(StandardCharsets.UTF_8);
            byte[] m2 = "m2".getBytes(StandardCharsets.UTF_8);
            OnceOnlyPusher.Push p1 = new OnceOnlyPusher.Push("celery-pgmq:reversed:q:1", "celery", m1);
            OnceOnlyPusher.Push p2 = new OnceOnlyPusher.Push("celery-pgmq:reversed:q:2", "celery\u0006\u00166", m2);

            assertThat(pusher.push(List.of(p1))).containsExactly(true);
            assertThat(pusher.push(List.of(p1, p2))).containsExactly(false, true);

            assertThat(redis.lrange("celery".getBytes(StandardCharsets.UTF_8), 0, -1))
                    .containsExactly(m1);
            assertThat(redis.llen("celery\u0006\u00166")).isEqualTo(1);
            assertThat(redis.ttl("celery-pgmq:reversed:q:1")).isPositive();
        }
    }

    @Test
    void aListKeyOfAnotherTypeFailsTheWholeCallAndWritesNoMarker(TestRedis backend) {
        try (JedisPooled redis = RedisConnections.open(backend.url())) {
            redis.del("celery", "broken", "celery-pgmq:reversed:w:1", "celery-pgmq:reversed:w:2");
            redis.set("broken", "not a list");
            OnceOnlyPusher pusher = new OnceOnlyPusher(redis);
            OnceOnlyPusher.Push fine = new OnceOnlyPusher.Push(
                    "celery-pgmq:reversed:w:1", "celery", "m1".getBytes(StandardCharsets.UTF_8));
            OnceOnlyPusher.Push bad = new OnceOnlyPusher.Push(
                    "celery-pgmq:reversed:w:2", "broken", "m2".getBytes(StandardCharsets.UTF_8));

            assertThatThrownBy(() -> pusher.push(List.of(fine, bad)))
                    .hasMessageContaining("broken holds a string, not a Celery list");
            // nothing was written: a marker without its push would make the redo skip (and lose) the message
            assertThat(redis.exists("celery-pgmq:reversed:w:1")).isFalse();
            assertThat(redis.exists("celery")).isFalse();

            redis.del("broken");
            assertThat(pusher.push(List.of(fine, bad))).containsExactly(true, true);
        }
    }
}
