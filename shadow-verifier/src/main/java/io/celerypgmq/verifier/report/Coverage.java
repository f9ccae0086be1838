package io.celerypgmq.verifier.report;

import java.time.Instant;

/**
 * What the report could see, so a reader knows what "not measured" rests on.
 *
 * @param trackedQueues how many queues have a completion log
 * @param missingWithoutLog missing entries that a completion log could not have explained (queue not tracked, or
 *     bridged before tracking started)
 * @param samples watch samples in the window
 * @param resultBackend the Celery result backend consulted (masked), or {@code null} when none was needed
 */
public record Coverage(
        int trackedQueues,
        long missingWithoutLog,
        long samples,
        Instant firstSample,
        Instant lastSample,
        String resultBackend) {}
