package io.celerypgmq.bridge.pump;

import java.util.Objects;

/** One pgmq queue the reverse pump drains back into a Celery queue (rollback). */
public record ReverseSource(String pgmqQueue, String celeryQueue, int visibilityTimeoutSeconds) {
    public static final int DEFAULT_VISIBILITY_TIMEOUT = 60;

    public ReverseSource {
        Objects.requireNonNull(pgmqQueue, "pgmqQueue");
        Objects.requireNonNull(celeryQueue, "celeryQueue");
        if (visibilityTimeoutSeconds < 1) {
            throw new IllegalArgumentException("visibility-timeout must be >= 1 second");
        }
    }
}
