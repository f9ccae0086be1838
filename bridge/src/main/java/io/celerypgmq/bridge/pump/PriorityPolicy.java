package io.celerypgmq.bridge.pump;

import java.util.Locale;

/** How Celery priorities survive in pgmq, which has none. */
public enum PriorityPolicy {
    /** One pgmq queue; the priority rides in the {@code x-celery-priority} header. */
    HEADER,
    /** One pgmq queue per priority step: {@code <queue>_p<step>} for steps other than 0. */
    QUEUE_PER_STEP;

    public static PriorityPolicy parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "header" -> HEADER;
            case "queue-per-step", "queues" -> QUEUE_PER_STEP;
            default -> throw new IllegalArgumentException("expected header or queue-per-step");
        };
    }
}
