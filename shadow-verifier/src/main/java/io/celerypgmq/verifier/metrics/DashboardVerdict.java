package io.celerypgmq.verifier.metrics;

import io.celerypgmq.bridge.dashboard.VerdictSource;
import io.celerypgmq.verifier.criteria.Gate;
import io.celerypgmq.verifier.report.Report;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The dashboard's verdict is the one the bridge already computes for {@code /metrics}: the same report, read when the
 * page asks, never recomputed for it (a verification reads the whole ledger window). None until the first refresh.
 */
public final class DashboardVerdict implements VerdictSource {
    private final Supplier<VerdictMeters> meters;
    private final Duration window;

    /**
     * @param meters the bridge's meters, or {@code null} until its refresh job has made them
     * @param window the trailing window the meters verify, named in the summary
     */
    public DashboardVerdict(Supplier<VerdictMeters> meters, Duration window) {
        this.meters = Objects.requireNonNull(meters, "meters");
        this.window = Objects.requireNonNull(window, "window");
    }

    @Override
    public Optional<Verdict> latest() {
        return Optional.ofNullable(meters.get()).flatMap(VerdictMeters::last).map(this::of);
    }

    Verdict of(Report r) {
        long failed = r.criteria().stream()
                .filter(c -> c.verdict() == io.celerypgmq.verifier.criteria.Verdict.FAIL)
                .count();
        long unmeasured = r.criteria().stream()
                .filter(c -> c.verdict() == io.celerypgmq.verifier.criteria.Verdict.NOT_MEASURED)
                .count();
        String summary = "trailing " + window.toHours() + " h: " + r.totals().enqueued() + " ledger entries, "
                + r.missingTotal() + " missing; " + failed + " criterion result(s) failed, " + unmeasured
                + " not measured";
        return new Verdict(label(r.gate()), r.generatedAt(), summary);
    }

    /** Short labels the page can colour: {@code GO}, {@code NO-GO}, {@code INCOMPLETE}. */
    static String label(Gate gate) {
        return switch (gate) {
            case GO -> "GO";
            case NO_GO -> "NO-GO";
            case INCOMPLETE -> "INCOMPLETE";
        };
    }
}
