package io.celerypgmq.bridge.dashboard;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the dashboard finds the verifier's last verdict. Optional: the default shows none. The bridge passes the
 * verdict its own refresher computed for {@code /metrics} ({@code DashboardVerdict} in the verifier); the demo passes
 * the one its walk-through reached.
 */
@FunctionalInterface
public interface VerdictSource {

    /** One verdict: e.g. {@code GO}/{@code NO-GO}, when it was reached, and a one-line summary. */
    record Verdict(String verdict, Instant decidedAt, String summary) {
        public Verdict {
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(decidedAt, "decidedAt");
        }
    }

    Optional<Verdict> latest();

    static VerdictSource none() {
        return Optional::empty;
    }
}
