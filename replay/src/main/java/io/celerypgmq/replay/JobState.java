package io.celerypgmq.replay;

import java.util.Locale;

/** How a replay run ended. */
public enum JobState {
    /** Still running, or killed before it could say otherwise (a restart resumes it). */
    RUNNING,
    /** The sources held nothing more the job may take. */
    DRAINED,
    /** {@code --limit} messages were moved. */
    LIMIT_REACHED,
    /** Stopped on request (Ctrl-C, SIGTERM) after finishing the batches in hand; a rerun continues. */
    CANCELLED,
    /** A dry run: nothing was changed. */
    DRY_RUN;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
