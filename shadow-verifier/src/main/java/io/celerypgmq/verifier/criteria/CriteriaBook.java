package io.celerypgmq.verifier.criteria;

import com.fasterxml.jackson.databind.JsonNode;
import io.celerypgmq.config.ConfigException;
import io.celerypgmq.verifier.TaskGlob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Thresholds per task type: defaults, and overrides by task name or glob. The YAML section {@code verify.criteria}:
 *
 * <pre>
 * verify:
 *   criteria:
 *     max-dlq-rate-percent: 1        # defaults for every task type
 *     min-uptime-percent: 99.9
 *     max-p95-wait-seconds: 5
 *     stall-seconds: 30
 *     max-shadow-mismatch-percent: 0
 *     tasks:
 *       "reports.*":                 # only the keys given change
 *         max-p95-wait-seconds: 60
 * </pre>
 *
 * An exact task name beats any glob; among globs the one with the longest literal prefix wins.
 */
public record CriteriaBook(Thresholds defaults, List<Override> overrides) {
    public static final String KEY = "verify.criteria";
    private static final Set<String> FIELDS = Set.of(
            "max-dlq-rate-percent",
            "min-uptime-percent",
            "max-p95-wait-seconds",
            "stall-seconds",
            "max-shadow-mismatch-percent");

    /** Thresholds for the task types {@code pattern} matches. */
    public record Override(TaskGlob pattern, Thresholds thresholds) {}

    public CriteriaBook {
        overrides = List.copyOf(overrides);
    }

    public static CriteriaBook defaultsOnly() {
        return new CriteriaBook(Thresholds.DEFAULTS, List.of());
    }

    public Thresholds forTask(String task) {
        return overrides.stream()
                .filter(o -> o.pattern().matches(task))
                .max(Comparator.comparing((Override o) -> o.pattern().isLiteral())
                        .thenComparing(o -> o.pattern().literalPrefix()))
                .map(Override::thresholds)
                .orElse(defaults);
    }

    /** Reads the {@code verify.criteria} section; a missing section gives the defaults. */
    public static CriteriaBook fromYaml(JsonNode section) {
        if (section == null || section.isMissingNode() || section.isNull()) {
            return defaultsOnly();
        }
        requireObject(section, KEY);
        Thresholds defaults = apply(Thresholds.DEFAULTS, section, KEY, true);
        List<Override> overrides = new ArrayList<>();
        JsonNode tasks = section.path("tasks");
        if (!tasks.isMissingNode()) {
            requireObject(tasks, KEY + ".tasks");
            for (Iterator<Map.Entry<String, JsonNode>> it = tasks.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = KEY + ".tasks." + e.getKey();
                requireObject(e.getValue(), key);
                try {
                    overrides.add(new Override(new TaskGlob(e.getKey()), apply(defaults, e.getValue(), key, false)));
                } catch (IllegalArgumentException ex) {
                    throw new ConfigException(key, ex.getMessage(), ex);
                }
            }
        }
        return new CriteriaBook(defaults, overrides);
    }

    private static Thresholds apply(Thresholds base, JsonNode node, String prefix, boolean allowTasks) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name) && !(allowTasks && name.equals("tasks"))) {
                throw new ConfigException(prefix + "." + name, "unknown criterion setting; known: " + FIELDS);
            }
        }
        try {
            return new Thresholds(
                    number(node, "max-dlq-rate-percent", prefix, base.maxDlqRatePercent()),
                    number(node, "min-uptime-percent", prefix, base.minUptimePercent()),
                    seconds(node, "max-p95-wait-seconds", prefix, base.maxP95Wait()),
                    seconds(node, "stall-seconds", prefix, base.stall()),
                    number(node, "max-shadow-mismatch-percent", prefix, base.maxShadowMismatchPercent()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(prefix, e.getMessage(), e);
        }
    }

    private static double number(JsonNode node, String field, String prefix, double fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        try {
            return Double.parseDouble(v.asText().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(prefix + "." + field, "bad value '" + v.asText() + "': not a number", e);
        }
    }

    private static Duration seconds(JsonNode node, String field, String prefix, Duration fallback) {
        if (!node.has(field)) {
            return fallback;
        }
        return Duration.ofMillis(Math.round(number(node, field, prefix, 0) * 1000));
    }

    private static void requireObject(JsonNode node, String key) {
        if (!node.isObject()) {
            throw new ConfigException(key, "expected a mapping, found " + node.getNodeType());
        }
    }
}
