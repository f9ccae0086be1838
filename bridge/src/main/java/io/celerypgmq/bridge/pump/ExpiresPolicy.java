package io.celerypgmq.bridge.pump;

import java.util.Locale;

/** What the bridge does with a task whose {@code expires} has passed when it reaches the bridge. */
public enum ExpiresPolicy {
    /** Send it anyway with the expiry in a header; the new worker decides (as a Celery worker would, by revoking). */
    FORWARD,
    /** Do not send it; record it in the ledger as expired, counted, never silently dropped. */
    RECORD_EXPIRED;

    public static ExpiresPolicy parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "forward" -> FORWARD;
            case "record-expired", "record" -> RECORD_EXPIRED;
            default -> throw new IllegalArgumentException("expected forward or record-expired");
        };
    }
}
