package io.celerypgmq.replay;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Plain progress lines every {@code interval} for logs and pipes: done, expected, rate, remaining time. */
final class LineProgress implements Progress {
    private final String task;
    private final PrintStream out;
    private final Duration interval;
    private final Clock clock;
    private final Instant start;
    private Instant lastLine;
    private long done;
    private long expected;

    LineProgress(String task, PrintStream out, Duration interval, Clock clock) {
        this.task = task;
        this.out = out;
        this.interval = interval;
        this.clock = clock;
        this.start = clock.instant();
        this.lastLine = start;
    }

    @Override
    public synchronized void expect(long total) {
        expected = Math.max(expected, total);
    }

    @Override
    public synchronized void advance(long n) {
        done += n;
        Instant now = clock.instant();
        if (!now.isBefore(lastLine.plus(interval))) {
            lastLine = now;
            out.println(line(now));
            out.flush();
        }
    }

    synchronized String line(Instant now) {
        double seconds = Math.max(0.001, Duration.between(start, now).toMillis() / 1000.0);
        double rate = done / seconds;
        StringBuilder s = new StringBuilder(task).append(": ").append(done);
        if (expected > 0) {
            s.append('/').append(expected);
        }
        s.append(String.format(Locale.ROOT, " messages, %.0f msg/s", rate));
        if (expected > done && rate > 0) {
            s.append(String.format(Locale.ROOT, ", about %.0f s left", (expected - done) / rate));
        }
        return s.toString();
    }

    @Override
    public synchronized void close() {
        if (done > 0) {
            out.println(line(clock.instant()));
            out.flush();
        }
    }
}
