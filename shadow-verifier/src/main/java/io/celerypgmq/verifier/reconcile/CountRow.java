package io.celerypgmq.verifier.reconcile;

/** How many entries of one task type, sent to one queue, are in one status. */
public record CountRow(String task, String queue, EntryStatus status, long count, long inFlight) {}
