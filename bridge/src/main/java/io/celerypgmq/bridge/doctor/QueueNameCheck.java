package io.celerypgmq.bridge.doctor;

import io.celerypgmq.bridge.inspect.Binding;
import io.celerypgmq.bridge.inspect.PrintableKey;
import io.celerypgmq.bridge.pgmq.InvalidQueueNameException;
import io.celerypgmq.bridge.pgmq.QueueName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Celery queue names pgmq cannot take as they are: longer than 47 characters, with {@code $ ; -- '} or control
 * characters, or equal to another one but for case (pgmq lower-cases table names).
 */
final class QueueNameCheck {
    /** kombu-pgmq's shortening: the first 38 characters, '_', then 8 hex digits of the name's SHA-1. */
    private static final int KEEP = 38;

    private QueueNameCheck() {}

    static List<Finding> run(RedisSurvey survey) {
        Set<String> names = new TreeSet<>(survey.queues.keySet());
        names.remove("(unknown queue)");
        survey.bindings.stream()
                .filter(b -> !b.isCeleryInternal())
                .map(Binding::queue)
                .forEach(names::add);
        List<Finding> out = new ArrayList<>();
        Map<String, Set<String>> byLowerCase = new TreeMap<>();
        for (String name : names) {
            byLowerCase
                    .computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new TreeSet<>())
                    .add(name);
            try {
                QueueName.of(name);
            } catch (InvalidQueueNameException e) {
                out.add(Finding.warning(
                        "queue-names",
                        PrintableKey.of(name),
                        "pgmq cannot have a queue of this name: " + e.reason(),
                        "give its tasks' routes a valid pgmq queue, e.g. celery-pgmq route set <task> shadow --queue "
                                + suggestion(name)));
            }
        }
        byLowerCase.forEach((lower, spellings) -> {
            if (spellings.size() > 1) {
                out.add(Finding.warning(
                        "queue-names",
                        String.join(", ", spellings),
                        "these Celery queues differ only in case; pgmq lower-cases names, so they would share one"
                                + " pgmq queue",
                        "route them to pgmq queues with distinct lower-case names"));
            }
        });
        return out;
    }

    static String suggestion(String name) {
        String clean = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (clean.length() <= QueueName.MAX_LENGTH) {
            return clean;
        }
        return clean.substring(0, KEEP) + "_" + sha1(name).substring(0, 8);
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }
}
