package io.celerypgmq.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Which messages a replay job takes: task names (shell globs, any of them), task ids (any of them) and a minimum age.
 * Empty lists and a null age mean "no restriction". The limit on how many to move lives in the job's spec.
 *
 * @param olderThan only messages whose known timestamp (delivery time in {@code unacked}, enqueue time in pgmq) is
 *     at least this old; Celery list elements carry no timestamp, so it cannot apply to them
 */
public record ReplayFilter(List<String> taskGlobs, Set<String> taskIds, Duration olderThan) {
    public static final ReplayFilter ALL = new ReplayFilter(List.of(), Set.of(), null);
    private static final Map<String, Pattern> GLOBS = new ConcurrentHashMap<>();

    public ReplayFilter {
        taskGlobs = List.copyOf(taskGlobs);
        taskIds = Set.copyOf(taskIds);
        for (String g : taskGlobs) {
            if (g.isBlank()) {
                throw new IllegalArgumentException("a task name pattern must not be blank");
            }
        }
        if (olderThan != null && olderThan.isNegative()) {
            throw new IllegalArgumentException("--older-than must not be negative, was " + olderThan);
        }
    }

    /** Whether the filter looks into messages at all (a job without one can take whole lists blindly). */
    public boolean inspectsContent() {
        return !taskGlobs.isEmpty() || !taskIds.isEmpty();
    }

    public boolean matchesTask(String taskName, String taskId) {
        if (!taskIds.isEmpty() && !taskIds.contains(taskId)) {
            return false;
        }
        return taskGlobs.isEmpty() || taskGlobs.stream().anyMatch(g -> globMatches(g, taskName));
    }

    /** Whether a message stamped {@code at} is old enough; true when no age is asked for. */
    public boolean oldEnough(Instant at, Instant now) {
        return olderThan == null || (at != null && !at.plus(olderThan).isAfter(now));
    }

    static boolean globMatches(String glob, String text) {
        return text != null
                && GLOBS.computeIfAbsent(glob, ReplayFilter::compile)
                        .matcher(text)
                        .matches();
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (!taskGlobs.isEmpty()) {
            s.append("task ").append(String.join("|", taskGlobs));
        }
        if (!taskIds.isEmpty()) {
            s.append(s.isEmpty() ? "" : ", ").append(taskIds.size()).append(" task id(s)");
        }
        if (olderThan != null) {
            s.append(s.isEmpty() ? "" : ", ").append("older than ").append(olderThan);
        }
        return s.isEmpty() ? "all messages" : s.toString();
    }
}
