package io.celerypgmq.bridge.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

@RealBackends
class CeleryQueueGaugesTest {

    @Test
    void queueLengthCountsEveryPriorityListOfTheQueue(TestRedis backend) {
        try (JedisPooled redis = RedisConnections.open(backend.url())) {
            redis.lpush("celery_workers", "a", "b");
            redis.lpush("celery_workers\u0006\u00166", "c");
            redis.lpush("other", "x");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new CeleryQueueGauges(redis, PriorityKeys.defaults(), List.of("celery_workers")).bindTo(registry);
            assertThat(registry.get("celery_queue_length")
                            .tag("queue_name", "celery_workers")
                            .gauge()
                            .value())
                    .isEqualTo(3.0);
        }
    }
}
