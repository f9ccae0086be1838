package io.celerypgmq.bridge.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestRedis;
import io.celerypgmq.testkit.celery.CallSpec;
import io.celerypgmq.testkit.celery.PublishOptions;
import io.celerypgmq.testkit.celery.RealCelery;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * The census counts what real Celery 5.2 wrote (protocol 2, protocol 1 whose task name is only in the body, priority
 * lists, {@code unacked}) by queue and task type without taking anything, and dates the oldest waiting message by its
 * first sighting, moved by hand on a settable clock.
 */
@RealBackends
class TaskCensusTest {
    private static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");

    @Test
    void itCountsByQueueAndTaskTypeAndDatesTheOldestMessageByItsFirstSighting(TestRedis backend) {
        RealCelery celery = RealCelery.require();
        try (JedisPooled redis = RedisConnections.open(backend.url())) {
            redis.flushDB();
            celery.publish(
                    backend.url(),
                    List.of(
                            CallSpec.task("tasks.add", 1, 2),
                            CallSpec.task("tasks.add", 3, 4).priority(9),
                            CallSpec.task("tasks.echo", "hi").queue("emails")),
                    PublishOptions.defaults());
            celery.publish(
                    backend.url(),
                    List.of(CallSpec.task("tasks.add", 5, 6)),
                    PublishOptions.defaults().withTaskProtocol(1));
            redis.hset("unacked", "reserved-1", "[" + redis.lindex("celery", 0) + ", \"\", \"celery\"]");
            redis.lpush("emails", "not a kombu message");
            long before = redis.llen("celery");
            MovableClock clock = new MovableClock(T0);
            TaskCensus census = census(redis, clock, 100);

            TaskCensus.Result first = census.take();

            assertThat(first.checkedAt()).isEqualTo(T0);
            assertThat(first.counts())
                    .extracting(c -> c.queue() + " " + c.task() + " " + c.waiting() + "+" + c.reserved())
                    .containsExactly("celery tasks.add 3+1", "emails (undecodable) 1+0", "emails tasks.echo 1+0");
            assertThat(first.counts().get(0).lowerBound())
                    .as("there before the first pass")
                    .isTrue();
            assertThat(redis.llen("celery")).as("nothing taken").isEqualTo(before);

            clock.now = T0.plusSeconds(10);
            celery.publish(backend.url(), List.of(CallSpec.task("tasks.add", 7, 8)), PublishOptions.defaults());
            redis.del("celery\u0006\u00169");
            redis.rpop("celery", 2); // workers took the two oldest plain ones
            clock.now = T0.plusSeconds(15);

            TaskCensus.Count add = census.take().counts().get(0);

            assertThat(add.waiting()).isEqualTo(1);
            assertThat(add.oldestSeenAt()).as("first seen at the second pass").isEqualTo(T0.plusSeconds(15));
            assertThat(add.lowerBound()).isFalse();

            TaskCensus successor = census(redis, new MovableClock(T0.plusSeconds(40)), 100);
            successor.remember(add.oldestIdentity(), add.oldestSeenAt(), add.lowerBound());
            assertThat(successor.take().counts().get(0).oldestSeenAt())
                    .as("an instance taking over keeps the first sighting")
                    .isEqualTo(T0.plusSeconds(15));
        }
    }

    @Test
    void aQueueLongerThanTheCensusReadsIsMarkedCapped(TestRedis backend) {
        RealCelery celery = RealCelery.require();
        try (JedisPooled redis = RedisConnections.open(backend.url())) {
            redis.flushDB();
            celery.publish(
                    backend.url(),
                    List.of(
                            CallSpec.task("tasks.add", 1, 1),
                            CallSpec.task("tasks.add", 2, 2),
                            CallSpec.task("tasks.add", 3, 3)),
                    PublishOptions.defaults());

            TaskCensus.Count add =
                    census(redis, new MovableClock(T0), 2).take().counts().get(0);

            assertThat(add.waiting()).isEqualTo(2);
            assertThat(add.capped()).isTrue();
            assertThat(redis.llen("celery".getBytes(StandardCharsets.UTF_8))).isEqualTo(3);
        }
    }

    private static TaskCensus census(JedisPooled redis, Clock clock, int max) {
        return new TaskCensus(
                redis,
                new RedisKeyspace(redis, PriorityKeys.defaults()),
                List.of("celery", "emails"),
                max,
                CeleryCodec.withDefaults(),
                clock);
    }

    private static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
