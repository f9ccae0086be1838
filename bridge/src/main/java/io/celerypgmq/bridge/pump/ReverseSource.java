package io.celerypgmq.bridge.pump;

import io.celerypgmq.bridge.pgmq.QueueName;
import java.util.Objects;

/**
 * One pgmq queue the reverse pump drains back into a Celery queue (rollback). The pump locks the rows it takes instead
 * of hiding them, so there is no visibility timeout to set; a {@code visibility-timeout} left in an older config is
 * ignored. The pgmq queue's name goes through {@link QueueName}'s rule at config load, so a bad one is refused there
 * (a usage error) rather than failing every pass.
 */
public record ReverseSource(String pgmqQueue, String celeryQueue) {
    public ReverseSource {
        Objects.requireNonNull(pgmqQueue, "pgmqQueue");
        Objects.requireNonNull(celeryQueue, "celeryQueue");
        pgmqQueue = QueueName.of(pgmqQueue).value();
    }
}
