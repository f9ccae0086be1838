package io.celerypgmq.replay;

import io.celerypgmq.bridge.move.ClaimedMessage;
import io.celerypgmq.bridge.move.ForwardMover;
import io.celerypgmq.bridge.move.InFlightList;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One pass over a drain's sources: first the {@code unacked} entries no live worker can hold (kombu would restore
 * them, and a restore puts them at the tail, ahead of the list), then the lists in the order a worker consumes them.
 * Memory stays at one page whatever the queue length. What is taken is moved by the engine's forward mover, as the
 * bridge moves it. In a dry run nothing is taken: every page is only counted.
 */
final class DrainPass {
    private final DrainParts p;
    private final ForwardMover mover;
    private final DrainCounts counts;
    private final boolean dryRun;
    private final boolean ledgerPresent;
    private final Throttle throttle;
    private final CancelToken cancel;
    private final Progress progress;
    private final ReplayTally tally;
    /** Marks taken list elements until one LREM removes them; not JSON, so no Celery message can equal it. */
    private final byte[] tombstone;

    private final PassResult result = new PassResult();
    private long remaining;

    DrainPass(
            DrainParts p,
            ForwardMover mover,
            DrainCounts counts,
            boolean dryRun,
            boolean ledgerPresent,
            Throttle throttle,
            CancelToken cancel,
            Progress progress,
            ReplayTally tally,
            long remaining) {
        this.p = p;
        this.mover = mover;
        this.counts = counts;
        this.dryRun = dryRun;
        this.ledgerPresent = ledgerPresent;
        this.throttle = throttle;
        this.cancel = cancel;
        this.progress = progress;
        this.tally = tally;
        this.remaining = remaining;
        this.tombstone = ("celery-pgmq:replay:tombstone:" + p.jobId() + ":" + UUID.randomUUID())
                .getBytes(StandardCharsets.UTF_8);
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
     * Nothing to look at inside: move whole lists, the bridge's own atomic claim, in consumption order, pipelined by the
     * engine; {@code --limit} is reserved at claim time, so the batch claimed ahead respects it too.
     */
    private void claimWholeLists() {
        ForwardMover.Moved moved = mover.move(
                (inFlight, max) -> {
                    int n = Math.min(max, nextBatch());
                    if (n == 0 || !acquire(n)) {
                        return List.of();
                    }
                    List<ClaimedMessage> batch = inFlight.claim(p.listKeys(), n);
                    remaining -= batch.size();
                    return batch;
                },
                Integer.MAX_VALUE);
        result.taken += moved.messages();
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
                    List<ClaimedMessage> moved = p.inFlight()
                            .takeListed(
                                    key,
                                    chosen.stream()
                                            .map(s -> new InFlightList.Seen(s.tailOffset(), s.raw()))
                                            .toList(),
                                    tombstone);
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
                    Map<String, byte[]> tagged = new LinkedHashMap<>();
                    chosen.forEach(e -> tagged.put(e.tag(), e.value()));
                    List<ClaimedMessage> moved =
                            p.inFlight().takeUnacked(p.ctx().keys(), tagged, cutoff);
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

    /** Moves a batch already taken into the in-flight list (the mover finishes it, progress included). */
    private void handOver(List<ClaimedMessage> batch) {
        boolean[] given = {false};
        mover.move(
                (inFlight, max) -> {
                    if (given[0]) {
                        return List.of();
                    }
                    given[0] = true;
                    return batch;
                },
                1);
        remaining -= batch.size();
        result.taken += batch.size();
    }

    private void preview(List<ClaimedMessage> batch) {
        List<ClaimedMessage> within = batch.subList(0, (int) Math.min(batch.size(), remaining));
        counts.count(mover.preview(within, ledgerPresent));
        remaining -= within.size();
        result.taken += within.size();
        progress.advance(within.size());
    }
}
