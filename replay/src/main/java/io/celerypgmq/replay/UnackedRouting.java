package io.celerypgmq.replay;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import redis.clients.jedis.UnifiedJedis;

/**
 * Finds the queue an {@code unacked} entry belongs to, as kombu's restore would: its stored exchange and routing key
 * ({@code [envelope, exchange, routing_key]}); the anonymous exchange means "the queue named by the routing key",
 * any other exchange is looked up in {@code _kombu.binding.<exchange>} (direct: equal key; topic: the stored regex).
 * Bindings are read once per exchange and run.
 */
final class UnackedRouting {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /** Where an entry goes: the queue, or why none could be found. */
    record Target(String queue, String problem) {
        static Target of(String queue) {
            return new Target(queue, null);
        }

        static Target none(String problem) {
            return new Target(null, problem);
        }

        boolean found() {
            return queue != null;
        }
    }

    private record Binding(String routingKey, String pattern, String queue) {}

    private final UnifiedJedis redis;
    private final String globalKeyPrefix;
    private final String separator;
    private final Map<String, List<Binding>> bindings = new HashMap<>();

    UnackedRouting(UnifiedJedis redis, String globalKeyPrefix, String separator) {
        this.redis = redis;
        this.globalKeyPrefix = globalKeyPrefix;
        this.separator = separator;
    }

    UnifiedJedis redis() {
        return redis;
    }

    Target resolve(byte[] unackedValue) {
        JsonNode root;
        try {
            root = JSON.readTree(unackedValue);
        } catch (IOException e) {
            return Target.none("the unacked value is not JSON");
        }
        if (root == null
                || !root.isArray()
                || root.size() != 3
                || !root.get(1).isTextual()
                || !root.get(2).isTextual()) {
            return Target.none("the unacked value is not [envelope, exchange, routing_key]");
        }
        return resolve(root.get(1).textValue(), root.get(2).textValue());
    }

    Target resolve(String exchange, String routingKey) {
        if (exchange.isEmpty()) {
            return Target.of(routingKey);
        }
        List<String> queues = new ArrayList<>();
        for (Binding b : bindingsOf(exchange)) {
            if (matches(b, routingKey) && !queues.contains(b.queue())) {
                queues.add(b.queue());
            }
        }
        if (queues.size() == 1) {
            return Target.of(queues.get(0));
        }
        return Target.none(
                queues.isEmpty()
                        ? "exchange " + exchange + " has no binding for routing key " + routingKey
                        : "exchange " + exchange + " routes key " + routingKey + " to " + queues.size() + " queues");
    }

    private static boolean matches(Binding b, String routingKey) {
        if (b.pattern().isEmpty()) {
            return b.routingKey().equals(routingKey) || b.routingKey().isEmpty();
        }
        try {
            return Pattern.compile(b.pattern()).matcher(routingKey).matches();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    private List<Binding> bindingsOf(String exchange) {
        return bindings.computeIfAbsent(exchange, this::load);
    }

    private List<Binding> load(String exchange) {
        Set<String> members = redis.smembers(globalKeyPrefix + "_kombu.binding." + exchange);
        List<Binding> out = new ArrayList<>();
        for (String m : members) {
            String[] parts = m.split(Pattern.quote(separator), -1);
            if (parts.length == 3) {
                out.add(new Binding(parts[0], parts[1], parts[2]));
            }
        }
        return out;
    }

    /** The queue for {@code value}, if one can be found. */
    Optional<String> queueOf(byte[] value) {
        Target t = resolve(value);
        return Optional.ofNullable(t.queue());
    }
}
