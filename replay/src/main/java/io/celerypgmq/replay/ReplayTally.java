package io.celerypgmq.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts a job gathers while it runs, one owner thread. {@link #report} freezes them into a {@link ReplayReport}.
 * "Left" counts things the operator must look at (they keep the exit code at 1); "skipped" counts what the job's own
 * filters excluded on purpose.
 */
final class ReplayTally {
    long moved;
    long duplicates;
    long expired;
    long quarantined;
    long resumed;
    long returned;
    long delayed;
    long pastEta;
    final Map<String, Long> byTask = new TreeMap<>();
    final Map<String, Long> bySource = new TreeMap<>();
    final Map<String, Long> byDestination = new TreeMap<>();
    final Map<String, Long> failures = new TreeMap<>();
    final Map<String, Long> left = new TreeMap<>();
    final Map<String, Long> skipped = new TreeMap<>();
    final List<String> notes = new ArrayList<>();

    void moved(String task, String source, String destination) {
        moved++;
        add(byTask, task, 1);
        add(bySource, Keys.printable(source), 1);
        add(byDestination, destination, 1);
    }

    void failure(String reason, String source) {
        quarantined++;
        add(failures, reason, 1);
        add(bySource, Keys.printable(source), 1);
    }

    void left(String reason, long count) {
        if (count > 0) {
            add(left, reason, count);
        }
    }

    void skipped(String reason, long count) {
        if (count > 0) {
            add(skipped, reason, count);
        }
    }

    void note(String text) {
        if (!notes.contains(text)) {
            notes.add(text);
        }
    }

    static void add(Map<String, Long> map, String key, long n) {
        map.merge(key == null ? "(none)" : key, n, Long::sum);
    }

    ReplayReport report(ReplayKind kind, String jobId, JobState state, long elapsedMillis, Long jobTotal) {
        return new ReplayReport(
                kind,
                jobId,
                state,
                elapsedMillis,
                moved,
                duplicates,
                expired,
                quarantined,
                resumed,
                returned,
                delayed,
                pastEta,
                jobTotal,
                byTask,
                bySource,
                byDestination,
                failures,
                left,
                skipped,
                notes);
    }
}
