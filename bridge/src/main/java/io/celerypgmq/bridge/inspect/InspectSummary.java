package io.celerypgmq.bridge.inspect;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an inspection saw: messages per task name, undecodable ones per reason, messages per key.
 *
 * @param truncated whether it stopped at the limit before reading everything
 */
public record InspectSummary(
        long messages,
        long undecodable,
        SortedMap<String, Long> perTask,
        SortedMap<String, Long> perReason,
        Map<String, Long> perKey,
        boolean truncated) {

    public InspectSummary {
        perTask = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(perTask));
        perReason = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(perReason));
        perKey = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(perKey));
    }

    /** Counts messages as they stream past. */
    static final class Tally {
        private long messages;
        private long undecodable;
        private final SortedMap<String, Long> perTask = new TreeMap<>();
        private final SortedMap<String, Long> perReason = new TreeMap<>();
        private final Map<String, Long> perKey = new LinkedHashMap<>();

        void add(InspectedMessage m) {
            messages++;
            perKey.merge(m.key(), 1L, Long::sum);
            if (m.decoded()) {
                perTask.merge(m.message().task(), 1L, Long::sum);
            } else {
                undecodable++;
                perReason.merge(m.error().reason().name(), 1L, Long::sum);
            }
        }

        long messages() {
            return messages;
        }

        InspectSummary done(boolean truncated) {
            return new InspectSummary(messages, undecodable, perTask, perReason, perKey, truncated);
        }
    }
}
