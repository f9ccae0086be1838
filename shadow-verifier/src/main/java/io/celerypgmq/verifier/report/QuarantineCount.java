package io.celerypgmq.verifier.report;

/** Quarantined messages of one reason in the window: distinct messages and how often they were seen. */
public record QuarantineCount(String reason, long messages, long sightings) {}
