package io.celerypgmq.bridge.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.codec.PriorityKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import redis.clients.jedis.UnifiedJedis;

/**
 * Finds what Celery keeps in a broker database, read-only and by SCAN (never KEYS, which blocks a busy Redis): the
 * queue lists with their priority lists, the {@code _kombu.binding.*} sets and the {@code unacked} hash, all under
 * {@code global_keyprefix} when one is configured.
 */
public final class RedisKeyspace {
    /** Keys celery-pgmq writes itself (in-flight lists, markers); never Celery queues. */
    public static final String OWN_KEY_PREFIX = "celery-pgmq:";

    /** Elements larger than this are taken to be messages without parsing them. */
    private static final int MAX_SNIFF_BYTES = 1 << 20;

    private static final ObjectMapper SNIFF = new ObjectMapper();

    private final UnifiedJedis redis;
    private final PriorityKeys keys;

    public RedisKeyspace(UnifiedJedis redis, PriorityKeys keys) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    public PriorityKeys priorityKeys() {
        return keys;
    }

    public String unackedKey() {
        return keys.unackedKey();
    }

    public String unackedIndexKey() {
        return keys.unackedIndexKey();
    }

    /**
     * Every Celery queue that has at least one list now, by name, with the list keys found, in consumption order. A
     * list counts as a Celery queue when a binding targets it or the message a worker would take next looks like a
     * kombu envelope, so other applications' lists in the same database stay out.
     */
    public SortedMap<String, List<String>> queues() {
        KeyScan lists = listScan();
        lists.advance(Integer.MAX_VALUE);
        return queuesAmong(lists.found(), bindings());
    }

    /** A resumable scan for the list keys {@link #queuesAmong} takes, for a caller that scans a little at a time. */
    public KeyScan listScan() {
        return new KeyScan(redis, glob(keys.globalKeyPrefix()) + "*", "list");
    }

    /** A resumable scan for the binding sets {@link #bindingsIn} takes. */
    public KeyScan bindingScan() {
        return new KeyScan(redis, glob(keys.globalKeyPrefix() + Binding.KEY_PREFIX) + "*", "set");
    }

    /** The Celery queues among {@code listKeys} (as {@link #queues()} tells them), given the {@code bindings}. */
    public SortedMap<String, List<String>> queuesAmong(Collection<String> listKeys, List<Binding> bindings) {
        Map<String, Set<String>> found = new LinkedHashMap<>();
        for (String key : listKeys) {
            String name = key.substring(keys.globalKeyPrefix().length());
            if (isNotAQueue(key) || isNotAQueue(name)) {
                continue;
            }
            keys.parse(key).ifPresent(step -> found.computeIfAbsent(step.queue(), q -> new TreeSet<>())
                    .add(key));
        }
        Set<String> bound = new TreeSet<>();
        bindings.forEach(b -> bound.add(b.queue()));
        SortedMap<String, List<String>> out = new TreeMap<>();
        found.forEach((queue, present) -> {
            List<String> ordered =
                    keys.keysOf(queue).stream().filter(present::contains).toList();
            if (bound.contains(queue) || ordered.stream().anyMatch(this::nextLooksLikeKombu)) {
                out.put(queue, ordered);
            }
        });
        return out;
    }

    private boolean nextLooksLikeKombu(String key) {
        byte[] next = redis.lindex(key.getBytes(StandardCharsets.UTF_8), -1);
        if (next == null || next.length > MAX_SNIFF_BYTES) {
            return next != null;
        }
        try {
            JsonNode node = SNIFF.readTree(next);
            return node != null && node.isObject() && (node.has("properties") || node.has("body"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Every binding in every {@code _kombu.binding.*} set, Celery's own remote-control bindings included. */
    public List<Binding> bindings() {
        KeyScan sets = bindingScan();
        sets.advance(Integer.MAX_VALUE);
        return bindingsIn(sets.found());
    }

    /** The bindings held by the binding sets {@code setKeys}, sorted. */
    public List<Binding> bindingsIn(Collection<String> setKeys) {
        String prefix = keys.globalKeyPrefix() + Binding.KEY_PREFIX;
        List<Binding> out = new ArrayList<>();
        for (String key : setKeys) {
            String exchange = key.substring(prefix.length());
            for (String member : redis.smembers(key)) {
                Binding.parse(exchange, member, keys.separator()).ifPresent(out::add);
            }
        }
        out.sort((a, b) ->
                (a.exchange() + a.queue() + a.routingKey()).compareTo(b.exchange() + b.queue() + b.routingKey()));
        return out;
    }

    /** The binding sets that exist, even empty-membered or unparsable ones, by exchange. */
    public SortedMap<String, Set<String>> bindingSets() {
        String prefix = keys.globalKeyPrefix() + Binding.KEY_PREFIX;
        SortedMap<String, Set<String>> out = new TreeMap<>();
        KeyScan sets = bindingScan();
        sets.advance(Integer.MAX_VALUE);
        for (String key : sets.found()) {
            out.put(key.substring(prefix.length()), redis.smembers(key));
        }
        return out;
    }

    private static boolean isNotAQueue(String name) {
        return name.startsWith(OWN_KEY_PREFIX)
                || name.startsWith("_kombu.")
                || name.contains(".reply.celery.pidbox")
                || name.startsWith("celery-task-meta-")
                || name.startsWith("celery-taskset-meta-");
    }

    /** Escapes Redis glob characters so a prefix matches literally. */
    static String glob(String literal) {
        StringBuilder out = new StringBuilder(literal.length());
        for (char c : literal.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
