package io.celerypgmq.cli;

import io.celerypgmq.bridge.status.StatusLine;
import io.celerypgmq.bridge.status.StatusSnapshot;
import io.celerypgmq.bridge.status.TaskStatus;
import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws status snapshots: on a terminal each refresh replaces the previous one in place (cursor up, clear to the end);
 * piped, each refresh is plain lines stamped with the time, so a log reads like gh-ost's status lines.
 */
final class StatusScreen {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String CLEAR_BELOW = "\u001b[J";

    private final PrintWriter out;
    private final boolean redraw;
    private int drawn;

    StatusScreen(PrintWriter out, boolean redraw, boolean json) {
        this.out = out;
        this.redraw = redraw && !json;
    }

    void draw(StatusSnapshot s, boolean watching) {
        List<String> lines = new ArrayList<>();
        String stamp = LocalTime.ofInstant(s.at(), ZoneOffset.UTC).format(TIME);
        lines.add("celery-pgmq status at " + s.at() + " · Celery's Redis "
                + (s.censusAt() == null ? "not counted" : "counted at " + s.censusAt() + " by " + s.censusBy()));
        for (TaskStatus t : s.tasks()) {
            lines.add(StatusLine.of(t, s.at()));
        }
        if (s.tasks().isEmpty()) {
            lines.add("(no task types seen yet: no routes, traffic, queues or rollouts)");
        }
        if (redraw && drawn > 0) {
            out.print("\u001b[" + drawn + "A\r" + CLEAR_BELOW);
        }
        for (String line : lines) {
            out.println(watching && !redraw ? stamp + " " + line : line);
        }
        out.flush();
        drawn = lines.size();
    }
}
