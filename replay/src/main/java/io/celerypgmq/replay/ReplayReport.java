package io.celerypgmq.replay;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay run did (or, for a dry run, would do). For a dry run "moved" means "would move" and "quarantined"
 * means "would quarantine".
 *
 * @param moved messages handed to their destination by this run
 * @param duplicates messages this run found already handed over (a redo after a crash, or moved by the bridge)
 * @param expired messages recorded as expired instead of sent ({@code bridge.expires-policy: record-expired})
 * @param quarantined messages that could not be decoded or mapped, kept byte for byte in the quarantine table
 * @param resumed messages redone from an interrupted run's in-flight list
 * @param returned messages that had come back from pgmq in a rollback and were sent again under a new delivery tag
 * @param delayed messages sent with a future ETA, as a pgmq delay
 * @param pastEta messages whose ETA had already passed (sent visible at once)
 * @param jobTotal messages moved by every run of this job so far, when known
 * @param left things the operator must look at, by reason (they make the exit code 1)
 * @param skipped messages the job's filters excluded on purpose, by reason
 */
public record ReplayReport(
        ReplayKind kind,
        String jobId,
        JobState state,
        long elapsedMillis,
        long moved,
        long duplicates,
        long expired,
        long quarantined,
        long resumed,
        long returned,
        long delayed,
        long pastEta,
        Long jobTotal,
        Map<String, Long> byTask,
        Map<String, Long> bySource,
        Map<String, Long> byDestination,
        Map<String, Long> failures,
        Map<String, Long> left,
        Map<String, Long> skipped,
        List<String> notes) {

    public ReplayReport {
        byTask = frozen(byTask);
        bySource = frozen(bySource);
        byDestination = frozen(byDestination);
        failures = frozen(failures);
        left = frozen(left);
        skipped = frozen(skipped);
        notes = List.copyOf(notes);
    }

    private static Map<String, Long> frozen(Map<String, Long> map) {
        return java.util.Collections.unmodifiableMap(new TreeMap<>(map));
    }

    /** Whether everything the job was asked to move is where it belongs: nothing quarantined, left or cancelled. */
    public boolean clean() {
        return quarantined == 0 && left.isEmpty() && state != JobState.CANCELLED;
    }

    public long leftCount() {
        return left.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Messages per second over the run. */
    public double rate() {
        return elapsedMillis <= 0 ? 0 : moved * 1000.0 / elapsedMillis;
    }

    public String toText() {
        return ReportText.render(this);
    }

    public String toJson() {
        return ReportJson.render(this);
    }
}
