package io.celerypgmq.bridge.route;

import java.util.Locale;

/** The shape of the pgmq message a route writes (DESIGN.md, "PGMQ payloads"). */
public enum PayloadFormat {
    /** The kombu envelope itself, as kombu-pgmq stores it; Celery workers on that transport consume it unchanged. */
    KOMBU,
    /** {@code {"task", "id", "args", "kwargs", ...}} plus pgmq headers with Celery metadata and identity. */
    TASK,
    /** A per-task mapping to the shape the new worker expects, with its inverse for rollback. */
    TEMPLATE;

    public static PayloadFormat parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown payload format '" + text + "' (expected kombu, task or template)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
