package io.celerypgmq.bridge.doctor;

import java.util.Locale;

/** How bad a finding is; {@code doctor} exits 1 when any finding is an {@link #ERROR}. */
public enum Severity {
    /** Something is broken now or will lose or duplicate work: fix before migrating. */
    ERROR,
    /** A hazard or a setup that will bite later. */
    WARNING,
    /** A fact worth knowing (versions, what was checked). */
    INFO;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
