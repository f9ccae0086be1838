package io.celerypgmq.replay;

import java.util.Map;
import java.util.TreeMap;

/** What one pass over a drain's sources did; left/skipped are per pass so repeated passes do not double count. */
final class PassResult {
    enum Stop {
        NONE,
        LIMIT,
        CANCEL
    }

    long taken;
    /** Something moved under the pass (a worker popped, acked or restored): another pass may find more. */
    boolean unstable;

    Stop stop = Stop.NONE;
    final Map<String, Long> left = new TreeMap<>();
    final Map<String, Long> skipped = new TreeMap<>();

    void left(String reason) {
        ReplayTally.add(left, reason, 1);
    }

    void skipped(String reason) {
        ReplayTally.add(skipped, reason, 1);
    }

    boolean stopped() {
        return stop != Stop.NONE;
    }
}
