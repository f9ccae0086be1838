package io.celerypgmq.bridge.move;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

@RealBackends
class InFlightListTest {
    private static final String HIGH = "celery\u0006\u00163";
    private JedisPooled redis;

    @BeforeEach
    void connect(TestRedis backend) {
        redis = RedisConnections.open(backend.url());
        redis.flushDB();
    }

    @AfterEach
    void close() {
        redis.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void claimTakesTheFirstListFirstAndKeepsFifoOrderWithinAList() {
        redis.lpush(b("celery"), b("c1"), b("c2"), b("c3"));
        redis.lpush(b(HIGH), b("h1"));
        InFlightList inflight = new InFlightList(redis, "celery-pgmq:inflight:test");

        List<ClaimedMessage> claimed = inflight.claim(List.of("celery", HIGH), 3);

        assertThat(claimed)
                .containsExactly(
                        new ClaimedMessage("celery", b("c1")),
                        new ClaimedMessage("celery", b("c2")),
                        new ClaimedMessage("celery", b("c3")));
        assertThat(redis.llen("celery")).isZero();
        assertThat(redis.llen(HIGH)).isEqualTo(1);
        assertThat(inflight.pending()).isEqualTo(claimed);
    }

    @Test
    void aClaimStopsAtItsByteBudgetButAlwaysTakesOneMessage() {
        redis.lpush(b("celery"), b("aaaaaaaaaa"), b("bbbbbbbbbb"), b("cccccccccc"));
        InFlightList inflight = new InFlightList(redis, "celery-pgmq:inflight:bytes");

        assertThat(inflight.claim(List.of("celery"), 100, 15)).hasSize(2); // 10 bytes, then 20 >= 15: stop
        assertThat(inflight.claim(List.of("celery"), 100, 1)).hasSize(1); // one message even over the budget
        assertThat(redis.llen("celery")).isZero();
        assertThat(inflight.size()).isEqualTo(3);
    }

    @Test
    void aClaimedBatchSurvivesUntilFinishedAndFinishPushesAtomically() {
        redis.lpush(b(HIGH), b("h1"), b("h2"));
        InFlightList inflight = new InFlightList(redis, "celery-pgmq:inflight:a");
        List<ClaimedMessage> claimed = inflight.claim(List.of(HIGH), 10);
        assertThat(claimed).hasSize(2);

        // A pump restarting here finds the same batch, source keys included.
        assertThat(new InFlightList(redis, "celery-pgmq:inflight:a").pending()).isEqualTo(claimed);

        inflight.finish(List.of(new CeleryPush("workers\u0006\u00163", b("h1"))));
        assertThat(inflight.size()).isZero();
        assertThat(redis.lrange(b("workers\u0006\u00163"), 0, -1)).containsExactly(b("h1"));
    }

    @Test
    void binaryMessagesAndSourceKeysWithSeparatorsRoundTripThroughTheInFlightList() {
        byte[] raw = {0, (byte) 0xff, ':', '1', '2', ':', 0x06, 0x16};
        redis.lpush(b(HIGH), raw);
        InFlightList inflight = new InFlightList(redis, "celery-pgmq:inflight:bin");
        inflight.claim(List.of(HIGH), 1);
        assertThat(inflight.pending()).containsExactly(new ClaimedMessage(HIGH, raw));
    }

    @Test
    void anOrphanedListIsTakenOverOnlyByAnIdleRecoverer() {
        redis.lpush(b("q"), b("m1"));
        InFlightList dead = new InFlightList(redis, "celery-pgmq:inflight:dead");
        dead.claim(List.of("q"), 1);
        InFlightList busy = new InFlightList(redis, "celery-pgmq:inflight:busy");
        redis.lpush(b("q"), b("m2"));
        busy.claim(List.of("q"), 1);

        assertThat(busy.takeOver(dead.key())).isFalse();
        InFlightList idle = new InFlightList(redis, "celery-pgmq:inflight:idle");
        assertThat(idle.takeOver(dead.key())).isTrue();
        assertThat(idle.pending()).containsExactly(new ClaimedMessage("q", b("m1")));
        assertThat(dead.size()).isZero();
        assertThat(idle.takeOver(dead.key())).isFalse();
    }
}
