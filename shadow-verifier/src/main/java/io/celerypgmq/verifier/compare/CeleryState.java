package io.celerypgmq.verifier.compare;

import java.util.Locale;

/** A task's state in Celery's result backend ({@code celery-task-meta-<id>}), as far as a comparison cares. */
public enum CeleryState {
    SUCCESS,
    FAILURE,
    REVOKED,
    RETRY,
    STARTED,
    RECEIVED,
    PENDING,
    /** The result document exists but cannot be read (not JSON, or no status). */
    UNREADABLE;

    /** Whether Celery is done with the task. */
    public boolean isFinal() {
        return this == SUCCESS || this == FAILURE || this == REVOKED;
    }

    /** Parses Celery's status text; unknown (custom) states are not final, like STARTED. */
    public static CeleryState parse(String status) {
        if (status == null) {
            return UNREADABLE;
        }
        try {
            return valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return STARTED;
        }
    }
}
