package io.celerypgmq.verifier.report;

import io.celerypgmq.verifier.reconcile.StatusCounts;
import io.celerypgmq.verifier.uptime.UptimeStats;
import java.time.Instant;

/** One pgmq queue: where its entries are, its consumers' uptime, and since when its deletes are logged (or null). */
public record QueueReport(String queue, StatusCounts counts, UptimeStats uptime, Instant deletesLoggedSince) {}
