package io.celerypgmq.bridge.doctor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** What the survey saw of one Celery queue: its lists, its messages' protocols, ETAs, exchanges and failures. */
final class QueueStats {
    private static final int SAMPLES = 3;

    final String queue;
    final List<String> listKeys = new ArrayList<>();
    long listed;
    long unacked;
    long protocol1;
    long protocol2;
    final SortedSet<String> protocol1Tasks = new TreeSet<>();
    /** Named exchanges (not the anonymous one) the messages were published to, with their routing keys. */
    final SortedMap<String, Set<String>> exchanges = new TreeMap<>();

    long etaHazards;
    Duration longestEtaWait = Duration.ZERO;
    final SortedSet<String> etaTasks = new TreeSet<>();
    final List<String> etaSamples = new ArrayList<>();

    final SortedMap<String, Long> undecodable = new TreeMap<>();

    /** Messages with {@code expires}: kombu's pgmq transport would delay them by it. */
    long withExpires;

    final SortedSet<String> expiresTasks = new TreeSet<>();
    /** The furthest ETA, however near, and the longest time limit a message carries, with their tasks. */
    Duration furthestEta = Duration.ZERO;

    String furthestEtaTask;
    double longestTimeLimitSeconds;
    String longestTimeLimitTask;

    QueueStats(String queue) {
        this.queue = queue;
    }

    void etaHazard(String task, String id, Duration wait) {
        etaHazards++;
        etaTasks.add(task);
        if (wait.compareTo(longestEtaWait) > 0) {
            longestEtaWait = wait;
        }
        if (etaSamples.size() < SAMPLES) {
            etaSamples.add(task + "[" + id + "]");
        }
    }

    void expires(String task) {
        withExpires++;
        expiresTasks.add(task);
    }

    void eta(String task, Duration wait) {
        if (wait.compareTo(furthestEta) > 0) {
            furthestEta = wait;
            furthestEtaTask = task;
        }
    }

    void timeLimit(String task, double seconds) {
        if (seconds > longestTimeLimitSeconds) {
            longestTimeLimitSeconds = seconds;
            longestTimeLimitTask = task;
        }
    }

    void exchange(String exchange, String routingKey) {
        exchanges.computeIfAbsent(exchange, e -> new TreeSet<>()).add(routingKey);
    }

    long messages() {
        return listed + unacked;
    }

    static long total(Map<String, QueueStats> queues, java.util.function.ToLongFunction<QueueStats> field) {
        return queues.values().stream().mapToLong(field).sum();
    }
}
