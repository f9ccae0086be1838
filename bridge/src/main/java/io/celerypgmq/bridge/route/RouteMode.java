package io.celerypgmq.bridge.route;

import java.util.Locale;

/** Where the bridge sends a task type's messages. */
public enum RouteMode {
    /** Celery stays the only consumer: the message goes to the Celery list workers consume. */
    CELERY,
    /** Celery stays authoritative; a copy goes to a pgmq shadow queue so outcomes can be compared. */
    SHADOW,
    /** The message goes to pgmq (at a sticky percentage; the rest stays on Celery). */
    PGMQ;

    public static RouteMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown route mode '" + text + "' (expected celery, shadow or pgmq)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
