package io.celerypgmq.bridge.pump;

import com.fasterxml.jackson.databind.JsonNode;
import io.celerypgmq.config.ConfigException;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.Setting;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The bridge daemon's settings, validated at construction.
 *
 * @param instanceId names this instance's in-flight list and heartbeat row
 * @param batchSize messages claimed and handed to Postgres per transaction
 * @param idleWaitMillis how long a pump sleeps when its sources are empty
 * @param forward source lists and the Celery lists workers consume
 * @param reverse pgmq queues to drain back into Celery (rollback)
 */
public record BridgeSettings(
        String instanceId,
        int batchSize,
        int idleWaitMillis,
        int heartbeatTimeoutSeconds,
        int httpPort,
        List<Integer> prioritySteps,
        String prioritySeparator,
        String globalKeyPrefix,
        ExpiresPolicy expiresPolicy,
        PriorityPolicy priorityPolicy,
        boolean keepEnvelope,
        List<ForwardSource> forward,
        List<ReverseSource> reverse) {

    /** One line only: the id names log lines and Redis keys, and a line break in it would forge log lines. */
    public static final Setting<String> INSTANCE_ID = Setting.text(
                    "bridge.instance-id",
                    "Name of this bridge instance; must be unique among running instances.",
                    "auto")
            .singleLine();

    public static final Setting<Integer> BATCH_SIZE = Setting.integer(
            "bridge.batch-size",
            "Messages claimed from Redis and handed to Postgres in one transaction (100 is the measured sweet spot).",
            100,
            1,
            1000);
    public static final Setting<Integer> IDLE_WAIT_MILLIS = Setting.integer(
            "bridge.idle-wait-ms",
            "How long a pump waits before polling again when its sources are empty.",
            50,
            1,
            5000);
    public static final Setting<Integer> HEARTBEAT_TIMEOUT = Setting.integer(
            "bridge.heartbeat-timeout-seconds",
            "After this long without a heartbeat an instance counts as dead and a survivor redoes its in-flight batch.",
            30,
            5,
            3600);
    public static final Setting<Integer> HTTP_PORT = Setting.integer(
            "bridge.http-port",
            "Port of /metrics, /health, /ready and the dashboard; 0 turns HTTP off.",
            9808,
            0,
            65535);
    public static final Setting<String> PRIORITY_STEPS = Setting.text(
            "bridge.priority-steps", "Celery's broker_transport_options priority_steps, comma separated.", "0,3,6,9");
    public static final Setting<String> PRIORITY_SEPARATOR = Setting.text(
            "bridge.priority-separator",
            "Celery's broker_transport_options sep between queue and priority step (escapes like \\x06 allowed).",
            "\\x06\\x16");
    public static final Setting<String> GLOBAL_KEYPREFIX =
            Setting.text("bridge.global-keyprefix", "Celery's broker_transport_options global_keyprefix, if any.", "");
    public static final Setting<ExpiresPolicy> EXPIRES_POLICY = new Setting<>(
            "bridge.expires-policy",
            "forward: send expired tasks with the expiry in a header; record-expired: keep them out of pgmq and"
                    + " record them in the ledger as expired.",
            "forward",
            null,
            false,
            ExpiresPolicy::parse);
    public static final Setting<PriorityPolicy> PRIORITY_POLICY = new Setting<>(
            "bridge.priority-policy",
            "header: one pgmq queue, priority in a header; queue-per-step: <queue>_p<step> per priority step.",
            "header",
            null,
            false,
            PriorityPolicy::parse);
    public static final Setting<Boolean> KEEP_ENVELOPE = Setting.flag(
            "bridge.keep-envelope",
            "Keep the original kombu envelope of task and template messages in their ledger row"
                    + " (celery_pgmq.ledger.envelope) so a rollback is byte-exact.",
            true);

    public static final List<Setting<?>> SETTINGS = List.of(
            INSTANCE_ID,
            BATCH_SIZE,
            IDLE_WAIT_MILLIS,
            HEARTBEAT_TIMEOUT,
            HTTP_PORT,
            PRIORITY_STEPS,
            PRIORITY_SEPARATOR,
            GLOBAL_KEYPREFIX,
            EXPIRES_POLICY,
            PRIORITY_POLICY,
            KEEP_ENVELOPE);

    public BridgeSettings {
        forward = List.copyOf(forward);
        reverse = List.copyOf(reverse);
        prioritySteps = List.copyOf(prioritySteps);
        if (priorityStepsInvalid(prioritySteps)) {
            throw new ConfigException(
                    PRIORITY_STEPS.key(), "steps must be distinct, ascending, within 0-9, start at 0");
        }
    }

    private static boolean priorityStepsInvalid(List<Integer> steps) {
        if (steps.isEmpty() || steps.get(0) != 0) {
            return true;
        }
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i) <= steps.get(i - 1) || steps.get(i) > 9) {
                return true;
            }
        }
        return false;
    }

    public static BridgeSettings from(ConfigSource source) {
        String id = source.get(INSTANCE_ID);
        return new BridgeSettings(
                "auto".equals(id) ? autoInstanceId() : id,
                source.get(BATCH_SIZE),
                source.get(IDLE_WAIT_MILLIS),
                source.get(HEARTBEAT_TIMEOUT),
                source.get(HTTP_PORT),
                steps(source.get(PRIORITY_STEPS)),
                unescape(source.get(PRIORITY_SEPARATOR)),
                source.get(GLOBAL_KEYPREFIX),
                source.get(EXPIRES_POLICY),
                source.get(PRIORITY_POLICY),
                source.get(KEEP_ENVELOPE),
                forward(source.node("bridge.forward")),
                reverse(source.node("bridge.reverse")));
    }

    static String autoInstanceId() {
        String runtime = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
        return runtime.replaceAll("[^A-Za-z0-9@._-]", "_") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    static List<Integer> steps(String text) {
        try {
            return Arrays.stream(text.split(","))
                    .map(String::trim)
                    .map(Integer::parseInt)
                    .toList();
        } catch (NumberFormatException e) {
            throw new ConfigException(PRIORITY_STEPS.key(), "bad value '" + text + "': expected numbers like 0,3,6,9");
        }
    }

    /** Turns {@code \xNN} escapes (as YAML users write Celery's separator) into the characters. */
    static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (text.startsWith("\\x", i) && i + 4 <= text.length()) {
                out.append((char) Integer.parseInt(text.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                out.append(text.charAt(i));
            }
        }
        return out.toString();
    }

    private static List<ForwardSource> forward(JsonNode list) {
        List<ForwardSource> out = new ArrayList<>();
        for (JsonNode n : list) {
            try {
                out.add(new ForwardSource(
                        n.path("source").asText(""), n.path("celery-target").asText("")));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new ConfigException("bridge.forward", "entry " + n + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static List<ReverseSource> reverse(JsonNode list) {
        List<ReverseSource> out = new ArrayList<>();
        for (JsonNode n : list) {
            try {
                out.add(new ReverseSource(
                        n.path("pgmq-queue").asText(""), n.path("celery-queue").asText("")));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new ConfigException("bridge.reverse", "entry " + n + ": " + e.getMessage());
            }
        }
        return out;
    }
}
