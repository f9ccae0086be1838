package io.celerypgmq.bridge.route;

import java.time.Instant;

/** One audited route change: who changed which task type from what to what, when and why. */
public record RouteChange(
        String taskPattern, String oldRoute, String newRoute, Instant changedAt, String changedBy, String reason) {}
