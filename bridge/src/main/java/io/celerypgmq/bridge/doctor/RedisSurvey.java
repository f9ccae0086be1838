package io.celerypgmq.bridge.doctor;

import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.TimeLimit;
import io.celerypgmq.bridge.inspect.Binding;
import io.celerypgmq.bridge.inspect.InspectOptions;
import io.celerypgmq.bridge.inspect.InspectSummary;
import io.celerypgmq.bridge.inspect.InspectedMessage;
import io.celerypgmq.bridge.inspect.QueueInspector;
import io.celerypgmq.bridge.inspect.RedisKeyspace;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * One read-only pass over everything Celery keeps in Redis (every queue's lists, {@code unacked}, the bindings),
 * gathering what the Redis checks need, so each message is decoded once however many checks look at it.
 */
final class RedisSurvey {
    final SortedMap<String, QueueStats> queues = new TreeMap<>();
    final List<Binding> bindings;
    final boolean truncated;
    final long scanned;

    private RedisSurvey(List<Binding> bindings, boolean truncated, long scanned) {
        this.bindings = bindings;
        this.truncated = truncated;
        this.scanned = scanned;
    }

    /**
     * @param lists the queues found and their list keys ({@link RedisKeyspace#queues()})
     */
    static RedisSurvey take(
            UnifiedJedis redis,
            CeleryCodec codec,
            DoctorOptions options,
            Instant now,
            Map<String, List<String>> lists) {
        List<Binding> bindings = new RedisKeyspace(redis, options.keys()).bindings();
        InspectOptions everything = InspectOptions.everything(options.keys()).withLimit(options.maxMessages());
        SortedMap<String, QueueStats> queues = new TreeMap<>();
        lists.forEach((queue, keys) ->
                queues.computeIfAbsent(queue, QueueStats::new).listKeys.addAll(keys));
        Duration vt = Duration.ofSeconds(options.visibilityTimeoutSeconds());
        InspectSummary summary = new QueueInspector(redis, codec, everything).run(m -> {
            String queue = m.queue() == null ? "(unknown queue)" : m.queue();
            QueueStats stats = queues.computeIfAbsent(queue, QueueStats::new);
            if (m.unacked()) {
                stats.unacked++;
            } else {
                stats.listed++;
            }
            if (!m.decoded()) {
                stats.undecodable.merge(m.error().reason().name(), 1L, Long::sum);
                return true;
            }
            look(stats, m, vt, now);
            return true;
        });
        RedisSurvey survey = new RedisSurvey(bindings, summary.truncated(), summary.messages());
        survey.queues.putAll(queues);
        return survey;
    }

    private static void look(QueueStats stats, InspectedMessage m, Duration vt, Instant now) {
        CeleryMessage message = m.message();
        if (message.protocol() == 1) {
            stats.protocol1++;
            stats.protocol1Tasks.add(message.task());
        } else {
            stats.protocol2++;
        }
        String exchange = m.unacked()
                ? m.exchange()
                : message.deliveryInfo() == null
                        ? null
                        : message.deliveryInfo().path("exchange").asText("");
        if (exchange != null && !exchange.isEmpty()) {
            stats.exchange(exchange, message.routingKey());
        }
        if (message.expires() != null || message.expiration() != null) {
            stats.expires(message.task());
        }
        TimeLimit limit = message.timelimit();
        if (limit != null) {
            for (Number n : new Number[] {limit.hard(), limit.soft()}) {
                if (n != null) {
                    stats.timeLimit(message.task(), n.doubleValue());
                }
            }
        }
        // Naive ETAs: Celery's default enable_utc makes producers write UTC.
        Optional<OffsetDateTime> eta = message.etaTime(ZoneOffset.UTC);
        if (eta.isEmpty()) {
            return;
        }
        Instant due = eta.get().toInstant();
        if (due.isAfter(now)) {
            stats.eta(message.task(), Duration.between(now, due));
        }
        // kombu restores an unacked entry VT after its delivery (the index score), whatever its ETA.
        Instant from =
                m.unacked() && m.deliveredAt() != null ? Instant.ofEpochMilli((long) (m.deliveredAt() * 1000)) : now;
        if (due.isAfter(from.plus(vt))) {
            stats.etaHazard(message.task(), message.id(), Duration.between(from, due));
        }
    }
}
