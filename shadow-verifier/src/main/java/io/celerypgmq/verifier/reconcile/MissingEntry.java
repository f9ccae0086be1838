package io.celerypgmq.verifier.reconcile;

import java.time.Instant;

/** A ledger entry found nowhere: what an operator needs to look for it. */
public record MissingEntry(
        String identity, String taskName, String taskId, String queue, Long msgId, String route, Instant bridgedAt) {}
