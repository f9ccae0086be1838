package io.celerypgmq.bridge.route;

import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.config.OneLine;
import java.util.Objects;

/**
 * How one task type (an exact name or a glob such as {@code reports.*}) is routed.
 *
 * @param taskPattern exact task name or glob ({@code *} any run of characters, {@code ?} one character)
 * @param mode where the messages go
 * @param percent for {@link RouteMode#PGMQ} and {@link RouteMode#SHADOW}: the share of root tasks (1–100) that take
 *     the pgmq side, sticky by {@code root_id}; ignored for {@link RouteMode#CELERY}
 * @param pgmqQueue the pgmq queue (or shadow queue) messages go to, normalised by {@link QueueName} so the route names
 *     the queue pgmq actually has; {@code null} for celery-only routes
 * @param format the pgmq payload shape
 */
public record Route(String taskPattern, RouteMode mode, int percent, String pgmqQueue, PayloadFormat format) {

    public static final String DEFAULT_PATTERN = "*";

    public Route {
        Objects.requireNonNull(taskPattern, "taskPattern");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(format, "format");
        if (taskPattern.isBlank()) {
            throw new IllegalArgumentException("task pattern must not be blank");
        }
        try {
            OneLine.require(taskPattern); // it is logged and listed: a line break would forge a line
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("task pattern " + e.getMessage(), e);
        }
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be between 0 and 100, got " + percent);
        }
        if (mode != RouteMode.CELERY && (pgmqQueue == null || pgmqQueue.isBlank())) {
            throw new IllegalArgumentException(mode.label() + " route for " + taskPattern + " needs a pgmq queue");
        }
        if (pgmqQueue != null) {
            pgmqQueue = QueueName.of(pgmqQueue).value();
        }
    }

    /** The route every task type has until someone sets another: Celery only. */
    public static Route celery(String taskPattern) {
        return new Route(taskPattern, RouteMode.CELERY, 0, null, PayloadFormat.TASK);
    }

    public boolean isGlob() {
        return taskPattern.indexOf('*') >= 0 || taskPattern.indexOf('?') >= 0;
    }

    /** Whether {@code taskName} matches this route's pattern. */
    public boolean matches(String taskName) {
        return isGlob() ? Glob.matches(taskPattern, taskName) : taskPattern.equals(taskName);
    }

    /** e.g. {@code pgmq 10 % → user_tasks}, {@code celery}. */
    public String describeMode() {
        return switch (mode) {
            case CELERY -> "celery";
            case SHADOW -> "shadow" + (percent < 100 ? " " + percent + " %" : "") + " → " + pgmqQueue;
            case PGMQ -> "pgmq " + percent + " % → " + pgmqQueue;
        };
    }
}
