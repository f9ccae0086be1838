package io.celerypgmq.bridge.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.inspect.PrintableKey;
import io.celerypgmq.bridge.inspect.RedisKeyspace;
import io.celerypgmq.bridge.inspect.RedisPeek;
import io.celerypgmq.bridge.inspect.RestoreTarget;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Celery side of the backlog: per queue, the length of its base and priority lists and how many of its messages
 * sit in {@code unacked} (reserved by a worker or left by a dead one). Priority lists and prefixed keys are counted,
 * which the usual monitors miss (flower#439).
 */
final class RedisBacklog {
    /** Above this many unacked entries only the total is shown: splitting them per queue means reading each. */
    static final long UNACKED_BREAKDOWN_LIMIT = 10_000;

    private static final Duration REDISCOVER = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnifiedJedis redis;
    private final DashboardOptions options;
    private final RedisKeyspace keyspace;
    private List<String> discovered = List.of();
    private Instant discoveredAt = Instant.MIN;

    RedisBacklog(UnifiedJedis redis, DashboardOptions options) {
        this.redis = redis;
        this.options = options;
        this.keyspace = new RedisKeyspace(redis, options.keys());
    }

    ObjectNode read(Instant now) {
        ObjectNode out = JSON.createObjectNode();
        long unackedTotal = redis.hlen(keyspace.unackedKey());
        Map<String, Long> unacked = unackedKey(unackedTotal);
        out.put("unacked_total", unackedTotal);
        out.put("unacked_split", unacked != null);
        ArrayNode rows = out.putArray("queues");
        PriorityKeys keys = options.keys();
        for (String queue : queues(now)) {
            ObjectNode row = rows.addObject();
            row.put("queue", queue);
            ArrayNode lists = row.putArray("lists");
            long ready = 0;
            for (String key : keys.keysOf(queue)) {
                long length = redis.llen(key);
                ready += length;
                ObjectNode list = lists.addObject();
                list.put("key", PrintableKey.of(key));
                list.put(
                        "step",
                        keys.parse(key).map(PriorityKeys.QueueStep::step).orElse(0));
                list.put("length", length);
            }
            row.put("ready", ready);
            if (unacked == null) {
                row.putNull("unacked");
            } else {
                row.put("unacked", unacked.getOrDefault(queue, 0L));
            }
        }
        return out;
    }

    private synchronized List<String> queues(Instant now) {
        if (!options.celeryQueues().isEmpty()) {
            return options.celeryQueues();
        }
        if (Duration.between(discoveredAt, now).compareTo(REDISCOVER) >= 0 || discoveredAt.isAfter(now)) {
            discovered = new ArrayList<>(keyspace.queues().keySet());
            discoveredAt = now;
        }
        return discovered;
    }

    /** Unacked entries per queue a restore would push them to; {@code null} when there are too many to read. */
    private Map<String, Long> unackedKey(long total) {
        if (total > UNACKED_BREAKDOWN_LIMIT) {
            return null;
        }
        Map<String, Long> out = new HashMap<>();
        if (total == 0) {
            return out;
        }
        RestoreTarget target = new RestoreTarget(keyspace.bindings());
        new RedisPeek(redis, RedisPeek.DEFAULT_PAGE_SIZE).forEachUnacked(keyspace.unackedKey(), v -> {
            String queue = null;
            try {
                JsonNode entry = JSON.readTree(v.raw());
                if (entry != null && entry.isArray() && entry.size() == 3) {
                    queue = target.queueOf(entry.get(1).asText(""), entry.get(2).asText(null));
                }
            } catch (IOException e) {
                // Unparsable entries count towards the total only.
            }
            if (queue != null) {
                out.merge(queue, 1L, Long::sum);
            }
            return true;
        });
        return out;
    }
}
