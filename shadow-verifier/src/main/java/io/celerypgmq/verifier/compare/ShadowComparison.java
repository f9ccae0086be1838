package io.celerypgmq.verifier.compare;

import io.celerypgmq.verifier.reconcile.EntryStatus;
import io.celerypgmq.verifier.reconcile.ShadowEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares, per task type, what Celery did with each shadowed task (its result state) with what became of the PGMQ
 * copy: SUCCESS matches archived or deleted (completed), FAILURE matches dead-lettered, REVOKED matches expired (Celery
 * revokes an expired task). Anything else where both sides are final is a mismatch — a PGMQ copy that went missing
 * included.
 */
public final class ShadowComparison {
    public static final int EXAMPLES = 5;

    private ShadowComparison() {}

    public static Map<String, ComparisonRow> compare(List<ShadowEntry> entries, Map<String, CeleryState> celery) {
        Map<String, Tally> tallies = new TreeMap<>();
        for (ShadowEntry e : entries) {
            tallies.computeIfAbsent(e.task(), k -> new Tally()).add(e, celery.get(e.taskId()));
        }
        Map<String, ComparisonRow> out = new TreeMap<>();
        tallies.forEach((task, t) -> out.put(task, t.row(task)));
        return out;
    }

    /** Rows that only count the shadow copies, when Celery's results could not be read: nothing is guessed. */
    public static Map<String, ComparisonRow> unavailable(List<ShadowEntry> entries, String reason) {
        Map<String, Long> copies = new TreeMap<>();
        entries.forEach(e -> copies.merge(e.task(), 1L, Long::sum));
        Map<String, ComparisonRow> out = new TreeMap<>();
        copies.forEach(
                (task, n) -> out.put(task, new ComparisonRow(task, n, 0, 0, 0, 0, 0, 0, Map.of(), List.of(), reason)));
        return out;
    }

    static boolean agree(CeleryState celery, EntryStatus pgmq) {
        return switch (celery) {
            case SUCCESS -> pgmq == EntryStatus.ARCHIVED || pgmq == EntryStatus.DELETED;
            case FAILURE -> pgmq == EntryStatus.DEAD_LETTERED;
            case REVOKED -> pgmq == EntryStatus.EXPIRED;
            default -> false;
        };
    }

    private static final class Tally {
        long copies;
        long compared;
        long matches;
        long noResult;
        long unreadable;
        long notFinal;
        final Map<String, Long> pairs = new TreeMap<>();
        final List<Mismatch> examples = new ArrayList<>();

        void add(ShadowEntry e, CeleryState state) {
            copies++;
            if (state == null) {
                noResult++;
                return;
            }
            pairs.merge(state + " → " + e.status(), 1L, Long::sum);
            if (state == CeleryState.UNREADABLE) {
                unreadable++;
            } else if (!state.isFinal() || e.status() == EntryStatus.PENDING) {
                notFinal++;
            } else {
                compared++;
                if (agree(state, e.status())) {
                    matches++;
                } else if (examples.size() < EXAMPLES) {
                    examples.add(new Mismatch(e.taskId(), e.identity(), state, e.status(), e.detail()));
                }
            }
        }

        ComparisonRow row(String task) {
            return new ComparisonRow(
                    task,
                    copies,
                    compared,
                    matches,
                    compared - matches,
                    noResult,
                    unreadable,
                    notFinal,
                    pairs,
                    examples,
                    null);
        }
    }
}
