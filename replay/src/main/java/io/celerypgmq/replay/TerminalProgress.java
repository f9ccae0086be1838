package io.celerypgmq.replay;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A live progress bar (messages, rate, remaining time) for a terminal. */
final class TerminalProgress implements Progress {
    private final ProgressBar bar;
    private long expected;

    TerminalProgress(String task, PrintStream out) {
        this.bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(-1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" msg", 1)
                .showSpeed()
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(out))
                .build();
    }

    @Override
    public synchronized void expect(long total) {
        if (total > expected) {
            expected = total;
            bar.maxHint(total);
        }
    }

    @Override
    public synchronized void advance(long n) {
        bar.stepBy(n);
    }

    @Override
    public synchronized void close() {
        bar.close();
    }
}
