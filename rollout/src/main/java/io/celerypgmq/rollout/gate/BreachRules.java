package io.celerypgmq.rollout.gate;

import io.celerypgmq.verifier.criteria.Criterion;
import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.criteria.Verdict;
import io.celerypgmq.verifier.uptime.UptimeStats;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What ends a hold before its gate, judged on each check of the step's window so far (pure):
 *
 * <ul>
 *   <li>a MISSING message: an identity the verifier found nowhere in two checks in a row (one check could catch a
 *       consumer between its DLQ copy and its delete);
 *   <li>the DLQ rate over its threshold;
 *   <li>a consumer stalled beyond the uptime rule: more samples down (a readable message waiting longer than the
 *       stall time) than the uptime threshold allows over the whole hold, so the gate can no longer pass.
 * </ul>
 */
public final class BreachRules {
    private BreachRules() {}

    /**
     * @param previouslyMissing the identities the previous check of this step found missing
     * @param elapsed how long the step has held so far
     */
    public static Optional<Breach> check(
            StepReading r, Set<String> previouslyMissing, Duration hold, Duration elapsed) {
        for (String identity : r.missing()) {
            if (previouslyMissing.contains(identity)) {
                String measured = r.result(Criterion.ZERO_LOSS)
                        .map(CriterionResult::measured)
                        .orElse(r.missingTotal() + " missing");
                return Optional.of(new Breach(
                        Criterion.ZERO_LOSS,
                        measured + ", e.g. identity " + identity + " (missing in two checks in a row)"));
            }
        }
        Optional<CriterionResult> dlq = r.result(Criterion.DLQ_RATE).filter(c -> c.verdict() == Verdict.FAIL);
        if (dlq.isPresent()) {
            return Optional.of(new Breach(
                    Criterion.DLQ_RATE,
                    dlq.get().measured() + " (threshold " + dlq.get().threshold() + ")"));
        }
        return stalled(r, hold, elapsed);
    }

    static Optional<Breach> stalled(StepReading r, Duration hold, Duration elapsed) {
        UptimeStats u = r.uptime();
        long down = u.samples() - u.upSamples();
        if (!u.isMeasured() || down == 0) {
            return Optional.empty();
        }
        double heldMillis = Math.max(1, elapsed.toMillis());
        long expected = Math.max(u.samples(), Math.round(u.samples() * (hold.toMillis() / heldMillis)));
        double minUptime = r.thresholds().minUptimePercent();
        long allowed = (long) Math.floor(expected * (100 - minUptime) / 100.0);
        if (down <= allowed) {
            return Optional.empty();
        }
        String worst = u.worstAge() == null ? "" : String.format(Locale.ROOT, ", up to %.1f s", u.worstAge());
        return Optional.of(new Breach(
                Criterion.CONSUMER_UPTIME,
                String.format(
                        Locale.ROOT,
                        "lost: the consumer stalled in %d of %d samples (a readable message waiting %.0f s or longer%s); the"
                                + " uptime rule (> %s %%) allows %d of about %d samples in this hold",
                        down,
                        u.samples(),
                        r.thresholds().stall().toMillis() / 1000.0,
                        worst,
                        trim(minUptime),
                        allowed,
                        expected)));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
