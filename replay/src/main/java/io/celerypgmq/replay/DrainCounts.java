package io.celerypgmq.replay;

import io.celerypgmq.bridge.ledger.QuarantineEntry;
import io.celerypgmq.bridge.move.ForwardListener;
import io.celerypgmq.bridge.move.ForwardOutcome;
import java.time.Clock;
import java.time.Instant;

/**
 * Counts what the engine did with a drain's batches into the job's tally and progress: moved (by task, source,
 * destination), delayed or past their ETA, expired, duplicates, quarantined, renewed, put back. The engine calls it
 * from one thread at a time (its writer thread, or the caller's for a redo or a preview).
 */
final class DrainCounts implements ForwardListener {
    static final String PUT_BACK = "put back: the task type lost its destination while in flight";

    private final ReplayTally tally;
    private final Progress progress;
    private final Clock clock;
    private long counted;

    DrainCounts(ReplayTally tally, Progress progress, Clock clock) {
        this.tally = tally;
        this.progress = progress;
        this.clock = clock;
    }

    @Override
    public void moved(ForwardOutcome o) {
        count(o);
        progress.advance(o.messages());
        counted += o.messages();
    }

    /** Messages counted so far. */
    long counted() {
        return counted;
    }

    /** Counts an outcome into the tally (a preview's too), without touching the progress. */
    void count(ForwardOutcome o) {
        Instant now = clock.instant();
        for (ForwardOutcome.Sent s : o.sent()) {
            tally.moved(s.taskName(), s.sourceKey(), s.queue());
            if (s.delayed()) {
                tally.delayed++;
            } else if (s.eta() != null && !s.eta().isAfter(now)) {
                tally.pastEta++;
            }
        }
        tally.expired += o.expired();
        tally.duplicates += o.duplicates();
        for (QuarantineEntry q : o.quarantined()) {
            tally.failure(q.reason(), q.sourceKey());
        }
        if (o.renewed() > 0) {
            tally.returned += o.renewed();
            tally.note("messages whose identity the ledger held for another delivery (a shadow copy, or a copy rolled"
                    + " back from pgmq) were sent under a new delivery tag");
        }
        tally.left(PUT_BACK, o.toCelery().size());
    }
}
