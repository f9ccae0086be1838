package io.celerypgmq.bridge.pump;

import java.util.Objects;

/**
 * One pgmq queue the reverse pump drains back into a Celery queue (rollback). The pump locks the rows it takes instead
 * of hiding them, so there is no visibility timeout to set; a {@code visibility-timeout} left in an older config is
 * ignored.
 */
public record ReverseSource(String pgmqQueue, String celeryQueue) {
    public ReverseSource {
        Objects.requireNonNull(pgmqQueue, "pgmqQueue");
        Objects.requireNonNull(celeryQueue, "celeryQueue");
    }
}
