package io.celerypgmq.bridge.dashboard;

import io.celerypgmq.bridge.inspect.Binding;
import io.celerypgmq.bridge.inspect.KeyScan;
import io.celerypgmq.bridge.inspect.RedisKeyspace;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Which Celery queues and bindings a Redis database holds, found a little at a time. Finding them means a SCAN over
 * the whole database; with a million result keys that is 2 000 calls and about 4 s of Redis time, which must not sit
 * in a page's request nor repeat every few seconds. Each step spends at most {@link #SCAN_CALLS_PER_STEP} calls and
 * {@link #SCAN_TIME_PER_STEP}, and goes on from there next time; until a scan completes, what it found so far is
 * shown as a sample, after that the complete result, until a new scan ({@link #RESCAN_AFTER} after the last completed)
 * completes in its turn. Not thread-safe: {@link BackgroundDiscovery} runs one step at a time.
 */
final class QueueDiscovery {
    /** About 40 ms of Redis time on a database of a million keys, on a quiet server. */
    static final int SCAN_CALLS_PER_STEP = 20;

    /** On a busy server fewer calls fit: the scan stops for this refresh once it has taken this long. */
    static final Duration SCAN_TIME_PER_STEP = Duration.ofMillis(30);

    static final Duration RESCAN_AFTER = Duration.ofSeconds(30);

    /**
     * What is known now.
     *
     * @param queues Celery queues with their list keys (the complete result, or a sample while none is complete)
     * @param bindings the bindings, or {@code null} while no binding scan has completed
     * @param complete whether {@code queues} comes from a complete scan
     * @param keysScanned about how many keys the list scan has looked at (calls times the count hint)
     * @param completedAt when the result shown was completed, or {@code null} for a sample
     */
    record Snapshot(
            Map<String, List<String>> queues,
            List<Binding> bindings,
            boolean complete,
            long keysScanned,
            Instant completedAt) {}

    private final RedisKeyspace keyspace;
    private final boolean findQueues;
    private final LongSupplier nanoTime;
    private KeyScan lists;
    private KeyScan sets;
    private boolean scanning;
    private Snapshot last;

    /**
     * @param findQueues {@code false} when the queues are configured: only the bindings are scanned for
     * @param nanoTime the clock the per-step time budget is measured with ({@code System::nanoTime})
     */
    QueueDiscovery(RedisKeyspace keyspace, boolean findQueues, LongSupplier nanoTime) {
        this.keyspace = keyspace;
        this.findQueues = findQueues;
        this.nanoTime = nanoTime;
    }

    /** Spends one step's SCAN budget and says what is known. */
    Snapshot refresh(Instant now) {
        if (!scanning && (last == null || rescanDue(now))) {
            lists = findQueues ? keyspace.listScan() : null;
            sets = keyspace.bindingScan();
            scanning = true;
        }
        if (!scanning) {
            return last;
        }
        spendBudget();
        boolean listsComplete = lists == null || lists.complete();
        Set<String> listKeys = lists == null ? Set.of() : lists.found();
        long scanned = lists == null ? 0 : lists.calls() * KeyScan.KEYS_PER_CALL;
        if (sets.complete() && listsComplete) {
            List<Binding> bindings = keyspace.bindingsIn(sets.found());
            last = new Snapshot(keyspace.queuesAmong(listKeys, bindings), bindings, true, scanned, now);
            scanning = false;
            lists = null;
            sets = null;
            return last;
        }
        if (last != null) {
            return last; // a complete result beats a sample of the scan that will replace it
        }
        List<Binding> bindings = sets.complete() ? keyspace.bindingsIn(sets.found()) : null;
        return new Snapshot(
                keyspace.queuesAmong(listKeys, bindings == null ? List.of() : bindings),
                bindings,
                false,
                scanned,
                null);
    }

    /** Lists first: they are the queues a sample can already show; the bindings only refine them. */
    private void spendBudget() {
        long deadline = nanoTime.getAsLong() + SCAN_TIME_PER_STEP.toNanos();
        for (int call = 0; call < SCAN_CALLS_PER_STEP && nanoTime.getAsLong() < deadline; call++) {
            KeyScan next = lists != null && !lists.complete() ? lists : sets;
            if (next.advance(1) && next == sets) {
                return;
            }
        }
    }

    /** A new scan starts {@link #RESCAN_AFTER} after the last one completed (or when the clock went back). */
    private boolean rescanDue(Instant now) {
        Instant completed = last.completedAt();
        return !now.isBefore(completed.plus(RESCAN_AFTER)) || now.isBefore(completed);
    }
}
