package io.celerypgmq.verifier.reconcile;

import java.util.EnumMap;
import java.util.Map;

/**
 * How many ledger entries are in each {@link EntryStatus}, with pending split into visible and in flight.
 *
 * @param pendingVisible pending messages a consumer could read now
 * @param pendingInFlight pending messages read and not yet finished (vt in the future)
 */
public record StatusCounts(Map<EntryStatus, Long> byStatus, long pendingVisible, long pendingInFlight) {
    public static final StatusCounts NONE = new StatusCounts(Map.of(), 0, 0);

    public StatusCounts {
        EnumMap<EntryStatus, Long> copy = new EnumMap<>(EntryStatus.class);
        for (EntryStatus s : EntryStatus.values()) {
            copy.put(s, byStatus.getOrDefault(s, 0L));
        }
        byStatus = Map.copyOf(copy);
    }

    public long of(EntryStatus status) {
        return byStatus.get(status);
    }

    /** Every ledger entry, expired ones included: what the bridge handed over. */
    public long enqueued() {
        return byStatus.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Entries actually sent to pgmq (not recorded as expired). */
    public long sent() {
        return enqueued() - of(EntryStatus.EXPIRED);
    }

    public long missing() {
        return of(EntryStatus.MISSING);
    }

    /** Entries found nowhere that were sent before their queue's deletes were logged. */
    public long unknown() {
        return of(EntryStatus.UNKNOWN);
    }

    public StatusCounts plus(StatusCounts other) {
        EnumMap<EntryStatus, Long> sum = new EnumMap<>(EntryStatus.class);
        for (EntryStatus s : EntryStatus.values()) {
            sum.put(s, of(s) + other.of(s));
        }
        return new StatusCounts(sum, pendingVisible + other.pendingVisible, pendingInFlight + other.pendingInFlight);
    }
}
