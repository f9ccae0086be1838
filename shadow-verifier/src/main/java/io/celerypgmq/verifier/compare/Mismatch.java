package io.celerypgmq.verifier.compare;

import io.celerypgmq.verifier.reconcile.EntryStatus;

/** One task whose Celery and PGMQ outcomes disagree, with the DLQ error or other detail when known. */
public record Mismatch(String taskId, String identity, CeleryState celery, EntryStatus pgmq, String detail) {}
