package io.celerypgmq.bridge.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.inspect.Binding;
import io.celerypgmq.bridge.inspect.PrintableKey;
import io.celerypgmq.bridge.inspect.RedisKeyspace;
import io.celerypgmq.bridge.inspect.RedisPeek;
import io.celerypgmq.bridge.inspect.RestoreTarget;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Celery side of the backlog: per queue, the length of its base and priority lists and how many of its messages
 * sit in {@code unacked} (reserved by a worker or left by a dead one). Priority lists and prefixed keys are counted,
 * which the usual monitors miss (flower#439). Which queues exist is found by {@link QueueDiscovery}, a bounded step at a
 * time off the request ({@link BackgroundDiscovery}); {@code discovery} in the JSON says whether the list is complete
 * or still a sample.
 */
final class RedisBacklog {
    /** Above this many unacked entries only the total is shown: splitting them per queue means reading each. */
    static final long UNACKED_BREAKDOWN_LIMIT = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnifiedJedis redis;
    private final DashboardOptions options;
    private final RedisKeyspace keyspace;
    private final BackgroundDiscovery discovery;

    RedisBacklog(UnifiedJedis redis, DashboardOptions options) {
        this.redis = redis;
        this.options = options;
        this.keyspace = new RedisKeyspace(redis, options.keys());
        this.discovery = new BackgroundDiscovery(
                new QueueDiscovery(keyspace, options.celeryQueues().isEmpty(), System::nanoTime));
    }

    ObjectNode read(Instant now) {
        ObjectNode out = JSON.createObjectNode();
        QueueDiscovery.Snapshot found = discovery.latest(now);
        long unackedTotal = redis.hlen(keyspace.unackedKey());
        Map<String, Long> unacked = found.bindings() == null ? null : unackedKey(unackedTotal, found.bindings());
        out.put("unacked_total", unackedTotal);
        out.put("unacked_split", unacked != null);
        describe(out.putObject("discovery"), found);
        ArrayNode rows = out.putArray("queues");
        PriorityKeys keys = options.keys();
        List<String> queues =
                options.celeryQueues().isEmpty() ? List.copyOf(found.queues().keySet()) : options.celeryQueues();
        for (String queue : queues) {
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

    private void describe(ObjectNode out, QueueDiscovery.Snapshot found) {
        boolean configured = !options.celeryQueues().isEmpty();
        out.put("configured", configured);
        out.put("complete", configured || found.complete());
        out.put("sampled", !configured && !found.complete());
        long keys = redis.dbSize();
        out.put("keys_in_database", keys);
        // SCAN's count is a hint: a complete scan has seen every key, whatever the calls times the hint.
        out.put("keys_scanned", found.complete() ? keys : Math.min(found.keysScanned(), keys));
        out.put("scan_calls_per_step", QueueDiscovery.SCAN_CALLS_PER_STEP);
        if (found.completedAt() == null) {
            out.putNull("completed_at");
        } else {
            out.put("completed_at", found.completedAt().toString());
        }
    }

    /**
     * Unacked entries per queue a restore would push them to; {@code null} when there are too many to read. An entry
     * counts under the queue it came from because kombu's restore pushes it back there, where it runs again.
     */
    private Map<String, Long> unackedKey(long total, List<Binding> bindings) {
        if (total > UNACKED_BREAKDOWN_LIMIT) {
            return null;
        }
        Map<String, Long> out = new HashMap<>();
        if (total == 0) {
            return out;
        }
        RestoreTarget target = new RestoreTarget(bindings);
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
