package io.celerypgmq.replay;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;

/**
 * Where a job reports how far it got. {@link #forConsole} picks a live bar with rate and remaining time on a
 * terminal, and plain periodic lines otherwise (logs, CI, a pipe), so output stays readable in both.
 */
public interface Progress extends AutoCloseable {
    Progress NONE = new Progress() {
        @Override
        public void expect(long total) {}

        @Override
        public void advance(long n) {}

        @Override
        public void close() {}
    };

    /** How many messages the job expects to handle in all; may be raised as new ones arrive. */
    void expect(long total);

    void advance(long n);

    @Override
    void close();

    static Progress forConsole(String task, PrintStream out, boolean terminal, Duration interval, Clock clock) {
        return terminal ? new TerminalProgress(task, out) : new LineProgress(task, out, interval, clock);
    }
}
