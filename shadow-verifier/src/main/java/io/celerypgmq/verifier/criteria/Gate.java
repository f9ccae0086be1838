package io.celerypgmq.verifier.criteria;

import java.util.Collection;

/**
 * The go/no-go decision over every criterion of every task type: any failure is {@link #NO_GO}; otherwise a
 * criterion without data makes it {@link #INCOMPLETE} (a pass under the default gate, a failure under a strict one).
 */
public enum Gate {
    GO,
    NO_GO,
    INCOMPLETE;

    public static Gate of(Collection<CriterionResult> results) {
        boolean unmeasured = false;
        for (CriterionResult r : results) {
            if (r.verdict() == Verdict.FAIL) {
                return NO_GO;
            }
            unmeasured |= r.verdict() == Verdict.NOT_MEASURED;
        }
        return unmeasured ? INCOMPLETE : GO;
    }

    /** Whether the gate lets a cutover (or CI job) proceed; {@code strict} refuses unmeasured criteria too. */
    public boolean passes(boolean strict) {
        return this == GO || (this == INCOMPLETE && !strict);
    }

    public String label() {
        return switch (this) {
            case GO -> "GO";
            case NO_GO -> "NO-GO";
            case INCOMPLETE -> "GO, INCOMPLETE (some criteria not measured)";
        };
    }
}
