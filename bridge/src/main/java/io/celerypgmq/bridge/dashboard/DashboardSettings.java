package io.celerypgmq.bridge.dashboard;

import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.config.ConfigException;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.Setting;
import java.util.Arrays;
import java.util.List;

/** The dashboard's settings, so {@code bridge} and {@code demo} configure it like everything else. */
public final class DashboardSettings {
    public static final Setting<String> TOKEN = Setting.text(
                    "dashboard.token",
                    "Bearer token that allows route changes from the dashboard page (at least 16 characters);"
                            + " unset keeps the dashboard read-only.",
                    null)
            .asSecret()
            .withEnv("CELERY_PGMQ_DASHBOARD_TOKEN");
    public static final Setting<String> TOKEN_OWNER = Setting.text(
                    "dashboard.token-owner",
                    "Who a route change made with dashboard.token is recorded as in the route history (the request"
                            + " cannot name someone else).",
                    DashboardOptions.DEFAULT_TOKEN_OWNER)
            .singleLine();
    public static final Setting<String> CELERY_QUEUES = Setting.text(
            "dashboard.celery-queues",
            "Celery queues the dashboard shows, comma separated; empty shows every queue found in Redis.",
            "");
    public static final Setting<String> DLQ_SUFFIX = Setting.text(
            "dashboard.dlq-suffix",
            "Suffix naming a pgmq queue's dead-letter queue (user_tasks → user_tasks_dlq).",
            DashboardOptions.DEFAULT_DLQ_SUFFIX);

    public static final List<Setting<?>> SETTINGS = List.of(TOKEN, TOKEN_OWNER, CELERY_QUEUES, DLQ_SUFFIX);

    private DashboardSettings() {}

    /**
     * The dashboard options a configuration asks for, with Celery's key layout.
     *
     * @throws ConfigException naming the key of a bad value
     */
    public static DashboardOptions from(ConfigSource source, PriorityKeys keys) {
        List<String> queues = Arrays.stream(source.get(CELERY_QUEUES).split(","))
                .map(String::trim)
                .filter(q -> !q.isEmpty())
                .toList();
        DashboardOptions options = DashboardOptions.readOnly(keys).withCeleryQueues(queues);
        try {
            options = options.withDlqSuffix(source.get(DLQ_SUFFIX));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(DLQ_SUFFIX.key(), e.getMessage(), e);
        }
        String token = source.find(TOKEN).filter(t -> !t.isBlank()).orElse(null);
        try {
            options = options.withRouteToken(token);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(TOKEN.key(), e.getMessage(), e);
        }
        try {
            return options.withRouteTokenOwner(source.get(TOKEN_OWNER).trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(TOKEN_OWNER.key(), e.getMessage(), e);
        }
    }
}
