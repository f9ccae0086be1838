package io.celerypgmq.bridge.pump;

import java.util.Objects;

/**
 * One Celery queue the bridge sits in front of: Celery producers keep publishing to {@code source}; Celery workers
 * consume {@code celeryTarget}, where the bridge puts every message routed to Celery (priority list preserved).
 */
public record ForwardSource(String source, String celeryTarget) {
    public ForwardSource {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(celeryTarget, "celeryTarget");
        if (source.isBlank() || celeryTarget.isBlank()) {
            throw new IllegalArgumentException("source and celery-target must not be blank");
        }
        if (source.equals(celeryTarget)) {
            throw new IllegalArgumentException("celery-target must differ from source '" + source
                    + "': workers and the bridge would compete for the same list");
        }
    }
}
