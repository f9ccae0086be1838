package io.celerypgmq.bridge.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One task type's status as a line of text, in the manner of gh-ost's status line: route state, rollout step and
 * time to its next gate, then each side's rate, backlog and lag. The same line serves a terminal and a log.
 */
public final class StatusLine {
    private StatusLine() {}

    public static String of(TaskStatus t, Instant now) {
        StringBuilder s =
                new StringBuilder(t.task()).append(": ").append(t.state().describe());
        if (t.route().pgmqQueue() != null) {
            s.append(" → ").append(t.route().pgmqQueue());
        }
        if (t.rollout() != null) {
            RolloutSteps.Step r = t.rollout();
            s.append(" · rollout #")
                    .append(r.rolloutId())
                    .append(' ')
                    .append(r.phase())
                    .append(", step ")
                    .append(r.step())
                    .append(", ")
                    .append(nextGate(r.nextGateAt(), now));
        }
        return s.append(" · celery ")
                .append(side(t.celery()))
                .append(" · pgmq ")
                .append(side(t.pgmq()))
                .toString();
    }

    /** e.g. {@code next gate in 42 s}, {@code gate due}, {@code no gate pending}. */
    public static String nextGate(Instant gateAt, Instant now) {
        if (gateAt == null) {
            return "no gate pending";
        }
        Duration left = Duration.between(now, gateAt);
        return left.isNegative() || left.isZero() ? "gate due" : "next gate in " + duration(left);
    }

    static String side(TaskStatus.Side side) {
        return String.format(Locale.ROOT, "%.1f msg/s", side.ratePerSecond()) + ", backlog "
                + (side.backlog() < 0 ? "?" : Long.toString(side.backlog())) + ", lag " + lag(side);
    }

    static String lag(TaskStatus.Side side) {
        if (side.lagSeconds() == null) {
            return side.backlog() == 0 ? "0 s" : "-";
        }
        return (side.lagLowerBound() ? "≥ " : "") + String.format(Locale.ROOT, "%.1f s", side.lagSeconds());
    }

    /** {@code 42 s}, {@code 3 min 5 s}, {@code 2 h 10 min}. */
    public static String duration(Duration d) {
        long s = (d.toMillis() + 999) / 1000;
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
    }
}
