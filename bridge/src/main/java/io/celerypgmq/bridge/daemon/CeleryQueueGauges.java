package io.celerypgmq.bridge.daemon;

import io.celerypgmq.bridge.codec.PriorityKeys;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * {@code celery_queue_length{queue_name}} as celery-exporter names it, but counted over every priority list of the
 * queue (celery-exporter counts only the base list). Read from Redis at scrape time; NaN while Redis is down.
 */
public final class CeleryQueueGauges implements MeterBinder {
    private final UnifiedJedis redis;
    private final PriorityKeys keys;
    private final List<String> queues;

    public CeleryQueueGauges(UnifiedJedis redis, PriorityKeys keys, List<String> queues) {
        this.redis = redis;
        this.keys = keys;
        this.queues = List.copyOf(queues);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String queue : queues) {
            Gauge.builder("celery_queue_length", () -> length(queue))
                    .description("Messages waiting in a Celery queue, priority lists included")
                    .tag("queue_name", queue)
                    .register(registry);
        }
    }

    double length(String queue) {
        try {
            long total = 0;
            for (String key : keys.keysOf(queue)) {
                total += redis.llen(key);
            }
            return total;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
