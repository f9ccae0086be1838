package io.celerypgmq.bridge.doctor;

import io.celerypgmq.bridge.inspect.Binding;
import io.celerypgmq.bridge.inspect.PrintableKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code _kombu.binding.*} against the queues: a queue with messages but no binding (evicted or flushed: kombu drops
 * publishes and restores through a named exchange without one), a binding to a queue nobody takes from (a renamed or
 * retired queue that still collects copies), and one routing key bound to several queues (celery#1117).
 */
final class BindingCheck {
    private BindingCheck() {}

    static List<Finding> run(RedisSurvey survey, Set<String> consumedQueues, Duration sample) {
        List<Binding> bindings =
                survey.bindings.stream().filter(b -> !b.isCeleryInternal()).toList();
        List<Finding> out = new ArrayList<>();
        for (QueueStats q : survey.queues.values()) {
            if (q.messages() > 0 && !q.queue.equals("(unknown queue)")) {
                missing(q, bindings, out);
            }
        }
        stale(survey, bindings, consumedQueues, sample, out);
        shared(bindings, out);
        return out;
    }

    private static void missing(QueueStats q, List<Binding> bindings, List<Finding> out) {
        String worker = "start (or restart) a worker with -Q " + q.queue + ": it declares the binding again";
        if (bindings.stream().noneMatch(b -> b.queue().equals(q.queue))) {
            if (q.exchanges.isEmpty()) {
                out.add(Finding.warning(
                        "bindings",
                        q.queue,
                        "no _kombu.binding.* set targets this queue, though " + q.messages()
                                + " message(s) sit in it: the binding was deleted or evicted, or no worker has"
                                + " declared it",
                        worker + "; if bindings keep disappearing, Redis is evicting keys (maxmemory-policy"
                                + " noeviction)"));
            }
        }
        q.exchanges.forEach((exchange, routingKeys) -> {
            for (String rk : routingKeys) {
                boolean bound = bindings.stream()
                        .anyMatch(
                                b -> b.exchange().equals(exchange) && b.queue().equals(q.queue) && matches(b, rk));
                if (!bound) {
                    out.add(Finding.error(
                            "bindings",
                            q.queue,
                            "messages were published through exchange '" + exchange + "' with routing key '" + rk
                                    + "', but _kombu.binding." + exchange + " has no member for this queue: kombu"
                                    + " silently drops new publishes and restores of them (kombu#1063)",
                            worker + ", or SADD _kombu.binding." + exchange + " '" + rk + "\\x06\\x16\\x06\\x16"
                                    + q.queue + "'"));
                }
            }
        });
    }

    private static void stale(
            RedisSurvey survey, List<Binding> bindings, Set<String> consumed, Duration sample, List<Finding> out) {
        Map<String, List<Binding>> byQueue = new TreeMap<>();
        bindings.forEach(
                b -> byQueue.computeIfAbsent(b.queue(), k -> new ArrayList<>()).add(b));
        byQueue.forEach((queue, bs) -> {
            QueueStats q = survey.queues.get(queue);
            if (q == null || q.listed == 0 || q.unacked > 0 || consumed.contains(queue)) {
                return;
            }
            List<String> members = bs.stream().map(BindingCheck::describe).toList();
            out.add(Finding.warning(
                    "bindings",
                    queue,
                    "bound by " + String.join(", ", members) + ", but nothing took from its " + q.listed
                            + " waiting message(s) during the " + sample.toMillis() + " ms sample and no worker holds"
                            + " any in unacked: no consumer, or a stale binding to a renamed or retired queue",
                    "if a worker should consume it, start one with -Q " + queue + "; if the queue is retired,"
                            + " remove the binding (SREM _kombu.binding.<exchange> <member>) and drain the list"
                            + " (celery-pgmq replay, or move its messages to the live queue)"));
        });
    }

    private static void shared(List<Binding> bindings, List<Finding> out) {
        Map<String, Set<String>> queuesByKey = new TreeMap<>();
        for (Binding b : bindings) {
            if (b.routingKey().isEmpty() && b.pattern().isEmpty()) {
                continue; // fanout: one message to every bound queue is the point
            }
            queuesByKey
                    .computeIfAbsent(
                            b.exchange() + " / " + b.routingKey() + (b.pattern().isEmpty() ? "" : " / " + b.pattern()),
                            k -> new TreeSet<>())
                    .add(b.queue());
        }
        queuesByKey.forEach((key, queues) -> {
            if (queues.size() > 1) {
                out.add(Finding.warning(
                        "bindings",
                        PrintableKey.of(key),
                        "one exchange and routing key are bound to several queues (" + String.join(", ", queues)
                                + "): every message published with it lands in each of them; usually a leftover of a"
                                + " routing change (celery#1117)",
                        "SREM the member of the queue that should no longer receive these messages from its"
                                + " _kombu.binding.* set"));
            }
        });
    }

    private static String describe(Binding b) {
        return "_kombu.binding." + b.exchange() + " (" + PrintableKey.of(b.routingKey()) + ")";
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
}
