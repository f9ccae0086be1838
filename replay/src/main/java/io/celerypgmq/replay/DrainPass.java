package io.celerypgmq.replay;

import io.celerypgmq.bridge.pump.WriterThread;
import io.celerypgmq.bridge.redis.ClaimedMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One pass over a drain's sources: first the {@code unacked} entries no live worker can hold (kombu would restore
 * them, and a restore puts them at the tail, ahead of the list), then the lists in the order a worker consumes them.
 * Memory stays at one page whatever the queue length. In a dry run nothing is taken: every page is only counted.
 */
final class DrainPass {
    private final DrainParts p;
    private final boolean dryRun;
    private final boolean ledgerPresent;
    private final Throttle throttle;
    private final CancelToken cancel;
    private final Progress progress;
    private final ReplayTally tally;
    private final RedisTakes takes;
    private final PassResult result = new PassResult();
    private long remaining;

    DrainPass(
            DrainParts p,
            boolean dryRun,
            boolean ledgerPresent,
            Throttle throttle,
            CancelToken cancel,
            Progress progress,
            ReplayTally tally,
            long remaining) {
        this.p = p;
        this.dryRun = dryRun;
        this.ledgerPresent = ledgerPresent;
        this.throttle = throttle;
        this.cancel = cancel;
        this.progress = progress;
        this.tally = tally;
        this.remaining = remaining;
        this.takes = new RedisTakes(p.ctx().redis(), p.inFlight(), p.ctx(), p.jobId());
    }

    PassResult run() {
        if (p.spec().unacked()) {
            unacked(p.cutoff());
        }
        if (p.spec().lists() && !result.stopped()) {
            boolean blind = !dryRun
                    && p.destinations().coversEveryTask()
                    && !p.spec().filter().inspectsContent();
            if (blind) {
                claimWholeLists();
            } else {
                for (String key : p.listKeys()) {
                    if (result.stopped()) {
                        break;
                    }
                    scanList(key);
                }
            }
        }
        return result;
    }

    /** How many to take next, or 0 when the job must stop (limit reached, cancelled). */
    private int nextBatch() {
        if (cancel.isCancelled()) {
            result.stop = PassResult.Stop.CANCEL;
            return 0;
        }
        if (remaining <= 0) {
            result.stop = PassResult.Stop.LIMIT;
            return 0;
        }
        return (int) Math.min(throttle.batchCap(p.batchSize()), remaining);
    }

    /**
     * Nothing to look at inside: move whole lists, the bridge's own atomic claim, in consumption order. Pipelined like
     * the forward pump: the next batch is claimed and planned while the writer thread hands this one to Postgres; the
     * in-flight list holds two batches at most, and whatever a crash leaves there is redone as one on resume.
     */
    private void claimWholeLists() {
        AtomicReference<Set<String>> ahead = new AtomicReference<>(Set.of());
        try (WriterThread writer = new WriterThread("replay-writer " + p.jobId())) {
            writer.overlap(
                    Integer.MAX_VALUE,
                    () -> {
                        int n = nextBatch();
                        if (n == 0 || !acquire(n)) {
                            return null;
                        }
                        List<ClaimedMessage> batch = p.inFlight().claim(p.listKeys(), n);
                        if (batch.isEmpty()) {
                            return null;
                        }
                        HandOver.Prepared next = p.handOver().prepare(batch, ahead.get());
                        remaining -= batch.size(); // reserved now, so the batch claimed ahead respects --limit
                        ahead.set(next.identities());
                        return next;
                    },
                    next -> {
                        p.handOver().complete(next, p.inFlight(), tally, true);
                        return next.batch().size();
                    },
                    this::advance);
        }
    }

    private void scanList(String key) {
        long offset = 0;
        while (true) {
            int n = nextBatch();
            if (n == 0) {
                return;
            }
            List<ListPeek.Seen> page = p.lists().page(key, offset, n);
            List<ListPeek.Seen> chosen = new ArrayList<>();
            for (ListPeek.Seen s : page) {
                Selection.Verdict v = p.selection().listed(s.raw(), key);
                switch (v.outcome()) {
                    case TAKE -> chosen.add(s);
                    case SKIP -> result.skipped(v.reason());
                    case LEAVE -> result.left(v.reason());
                }
            }
            int taken = 0;
            if (!chosen.isEmpty()) {
                if (dryRun) {
                    preview(chosen.stream()
                            .map(s -> new ClaimedMessage(key, s.raw()))
                            .toList());
                } else {
                    if (!acquire(chosen.size())) {
                        return;
                    }
                    List<ClaimedMessage> moved = takes.listed(key, chosen);
                    taken = moved.size();
                    result.unstable |= taken < chosen.size();
                    if (!moved.isEmpty()) {
                        handOver(moved);
                    }
                }
            }
            offset += page.size() - taken;
            if (page.size() < n) {
                return;
            }
        }
    }

    private void unacked(double cutoff) {
        int offset = 0;
        Instant now = p.ctx().clock().instant();
        Set<String> queues = new HashSet<>(p.spec().queues());
        while (true) {
            int n = nextBatch();
            if (n == 0) {
                return;
            }
            List<UnackedPeek.Entry> page = p.unacked().page(Double.NEGATIVE_INFINITY, cutoff, offset, n);
            List<UnackedPeek.Entry> chosen = new ArrayList<>();
            for (UnackedPeek.Entry e : page) {
                if (eligible(e, queues, now)) {
                    chosen.add(e);
                }
            }
            int taken = 0;
            if (!chosen.isEmpty()) {
                if (dryRun) {
                    preview(chosen.stream()
                            .map(e -> new ClaimedMessage(p.ctx().unackedKey(), e.value()))
                            .toList());
                } else {
                    if (!acquire(chosen.size())) {
                        return;
                    }
                    List<ClaimedMessage> moved = takes.unacked(chosen, cutoff);
                    if (moved == null) {
                        result.unstable = true;
                        tally.note("a Celery worker was restoring unacked messages (unacked_mutex held);"
                                + " its entries were left to it this pass");
                        return;
                    }
                    taken = moved.size();
                    result.unstable |= taken < chosen.size();
                    if (!moved.isEmpty()) {
                        handOver(moved);
                    }
                }
            }
            offset += page.size() - taken;
            if (page.size() < n) {
                return;
            }
        }
    }

    private boolean eligible(UnackedPeek.Entry e, Set<String> queues, Instant now) {
        if (e.value() == null) {
            result.unstable = true; // acked between the two reads, or an index entry kombu will clean up
            return false;
        }
        UnackedRouting.Target target = p.routing().resolve(e.value());
        if (!target.found()) {
            result.left("unacked entry cannot be routed: " + target.problem());
            return false;
        }
        if (!queues.contains(target.queue())) {
            return false; // another queue's entry: not this job's business
        }
        Instant delivered = Instant.ofEpochMilli(Math.round(e.deliveredAt() * 1000));
        if (!p.spec().filter().oldEnough(delivered, now)) {
            result.skipped("delivered less than --older-than ago");
            return false;
        }
        Selection.Verdict v = p.selection().unacked(e.value(), p.ctx().unackedKey());
        switch (v.outcome()) {
            case SKIP -> result.skipped(v.reason());
            case LEAVE -> result.left(v.reason());
            case TAKE -> {
                return true;
            }
        }
        return false;
    }

    private boolean acquire(int n) {
        if (!throttle.acquire(n, cancel)) {
            result.stop = PassResult.Stop.CANCEL;
            return false;
        }
        return true;
    }

    private void handOver(List<ClaimedMessage> batch) {
        p.handOver().finish(p.inFlight(), batch, tally);
        counted(batch.size());
    }

    private void preview(List<ClaimedMessage> batch) {
        List<ClaimedMessage> within = batch.subList(0, (int) Math.min(batch.size(), remaining));
        p.handOver().preview(within, ledgerPresent, tally);
        counted(within.size());
    }

    private void counted(int n) {
        remaining -= n;
        advance(n);
    }

    private void advance(int n) {
        result.taken += n;
        progress.advance(n);
    }
}
