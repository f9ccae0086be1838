package io.celerypgmq.bridge.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.UnackedEntry;
import io.celerypgmq.bridge.codec.UndecodableMessageException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import redis.clients.jedis.UnifiedJedis;

/**
 * Decodes what sits in Redis without consuming it: every list of the chosen queues (priority lists included, in the
 * order a worker would take them), then the {@code unacked} hash. Each message, or its decode error, is handed to a
 * sink as it is read, so memory stays flat however long the queues are.
 */
public final class QueueInspector {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisKeyspace keyspace;
    private final RedisPeek peek;
    private final CeleryCodec codec;
    private final InspectOptions options;

    public QueueInspector(UnifiedJedis redis, CeleryCodec codec, InspectOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.keyspace = new RedisKeyspace(redis, options.keys());
        this.peek = new RedisPeek(redis, options.pageSize());
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** The queues this inspection reads, with the list keys of each. */
    public Map<String, List<String>> queues() {
        if (options.queues().isEmpty()) {
            return keyspace.queues();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        options.queues().forEach(q -> out.put(q, options.keys().keysOf(q)));
        return out;
    }

    /**
     * Reads and hands every message to {@code sink}; stops early at the limit or when the sink returns false.
     *
     * @return counts of what was read
     */
    public InspectSummary run(Predicate<InspectedMessage> sink) {
        InspectSummary.Tally tally = new InspectSummary.Tally();
        boolean[] stopped = {false};
        Predicate<InspectedMessage> counted = m -> {
            tally.add(m);
            boolean more = sink.test(m);
            boolean atLimit = options.limit() > 0 && tally.messages() >= options.limit();
            stopped[0] = !more || atLimit;
            return !stopped[0];
        };
        Map<String, List<String>> queues = queues();
        for (Map.Entry<String, List<String>> q : queues.entrySet()) {
            for (String key : q.getValue()) {
                peek.forEachElement(key, e -> counted.test(decode(q.getKey(), e)));
                if (stopped[0]) {
                    return tally.done(true);
                }
            }
        }
        if (options.includeUnacked()) {
            RestoreTarget resolver = new RestoreTarget(keyspace.bindings());
            peek.forEachUnacked(keyspace.unackedKey(), v -> {
                InspectedMessage m = decode(v, resolver);
                if (!options.queues().isEmpty() && m.queue() != null && !queues.containsKey(m.queue())) {
                    return true;
                }
                return counted.test(m);
            });
        }
        return tally.done(stopped[0]);
    }

    private InspectedMessage decode(String queue, RedisPeek.Element e) {
        try {
            CeleryMessage m = codec.decode(e.raw(), e.key());
            return new InspectedMessage(e.key(), queue, false, null, null, e.raw().length, m, null);
        } catch (UndecodableMessageException error) {
            return new InspectedMessage(e.key(), queue, false, null, null, e.raw().length, null, error);
        }
    }

    private InspectedMessage decode(RedisPeek.UnackedValue v, RestoreTarget resolver) {
        Double deliveredAt =
                peek.deliveredAt(keyspace.unackedIndexKey(), v.deliveryTag()).orElse(null);
        try {
            UnackedEntry entry = codec.decodeUnacked(v.raw(), v.key());
            return new InspectedMessage(
                    v.key(),
                    resolver.queueOf(entry.exchange(), entry.routingKey()),
                    true,
                    entry.exchange(),
                    deliveredAt,
                    v.raw().length,
                    entry.message(),
                    null);
        } catch (UndecodableMessageException error) {
            String[] target = lenientTarget(v.raw());
            String queue = target == null ? null : resolver.queueOf(target[0], target[1]);
            String exchange = target == null ? null : target[0];
            return new InspectedMessage(v.key(), queue, true, exchange, deliveredAt, v.raw().length, null, error);
        }
    }

    /** Exchange and routing key of an unacked value whose message does not decode, if the outer array is intact. */
    private static String[] lenientTarget(byte[] raw) {
        try {
            JsonNode root = JSON.readTree(raw);
            if (root != null
                    && root.isArray()
                    && root.size() == 3
                    && root.get(2).isTextual()) {
                return new String[] {root.get(1).asText(""), root.get(2).textValue()};
            }
        } catch (IOException e) {
            // Not even the outer array parses; the queue stays unknown.
        }
        return null;
    }
}
