package io.celerypgmq.bridge.inspect;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Where kombu's restore pushes an {@code unacked} entry back: its routing key itself for the anonymous exchange, else
 * the queue the exchange's bindings give (a direct routing key, or a topic pattern).
 */
public final class RestoreTarget {
    private final List<Binding> bindings;

    public RestoreTarget(List<Binding> bindings) {
        this.bindings = List.copyOf(bindings);
    }

    /** The queue, or {@code null} when no binding of a named exchange matches (kombu would drop the message). */
    public String queueOf(String exchange, String routingKey) {
        if (exchange == null || exchange.isEmpty()) {
            return routingKey;
        }
        for (Binding b : bindings) {
            if (b.exchange().equals(exchange) && matches(b, routingKey)) {
                return b.queue();
            }
        }
        return null;
    }

    static boolean matches(Binding b, String routingKey) {
        if (b.pattern().isEmpty()) {
            return b.routingKey().equals(routingKey);
        }
        try {
            return Pattern.compile(b.pattern()).matcher(routingKey).matches();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }
}
