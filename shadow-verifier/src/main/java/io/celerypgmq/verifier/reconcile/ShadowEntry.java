package io.celerypgmq.verifier.reconcile;

/** A shadow copy's PGMQ-side fate, to be compared with what Celery did with the same task id. */
public record ShadowEntry(String task, String taskId, String identity, EntryStatus status, String detail) {}
