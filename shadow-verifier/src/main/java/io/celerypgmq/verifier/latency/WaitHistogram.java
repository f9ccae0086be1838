package io.celerypgmq.verifier.latency;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Fixed queue-wait buckets, fine where the 5 s criterion sits: upper bounds in milliseconds, then one open bucket. */
public final class WaitHistogram {
    /** Upper bounds (exclusive) of all but the last bucket. */
    public static final List<Long> BOUNDS_MS =
            List.of(100L, 250L, 500L, 1_000L, 2_000L, 5_000L, 10_000L, 30_000L, 60_000L, 300_000L);

    public static final int BUCKETS = BOUNDS_MS.size() + 1;

    private WaitHistogram() {}

    public static List<Long> empty() {
        return Collections.nCopies(BUCKETS, 0L);
    }

    /** {@code < 100 ms}, {@code 100–250 ms}, ..., {@code ≥ 5 min}. */
    public static List<String> labels() {
        List<String> out = new ArrayList<>();
        long lower = 0;
        for (long upper : BOUNDS_MS) {
            out.add(lower == 0 ? "< " + human(upper) : human(lower) + "–" + human(upper));
            lower = upper;
        }
        out.add("≥ " + human(lower));
        return out;
    }

    /** The SQL array literal for {@code width_bucket(wait_ms, ...)}: bucket 0 is below the first bound. */
    public static String sqlBounds() {
        StringBuilder s = new StringBuilder("ARRAY[");
        for (int i = 0; i < BOUNDS_MS.size(); i++) {
            s.append(i == 0 ? "" : ",").append(BOUNDS_MS.get(i));
        }
        return s.append("]::double precision[]").toString();
    }

    static String human(long ms) {
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return ms / 1_000 + " s";
        }
        return ms / 60_000 + " min";
    }
}
