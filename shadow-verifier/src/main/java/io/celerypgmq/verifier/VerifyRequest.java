package io.celerypgmq.verifier;

import java.time.Instant;

/**
 * What to verify: ledger entries bridged in {@code [since, until)} ({@code since} {@code null}: from the first entry;
 * {@code until} {@code null}: up to the verifier's clock), of the task types {@code task} matches ({@code null}: all).
 */
public record VerifyRequest(Instant since, Instant until, TaskGlob task) {
    public static VerifyRequest everything() {
        return new VerifyRequest(null, null, null);
    }

    public VerifyRequest forTask(String glob) {
        return new VerifyRequest(since, until, new TaskGlob(glob));
    }
}
