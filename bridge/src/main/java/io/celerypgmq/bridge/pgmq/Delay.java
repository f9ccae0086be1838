package io.celerypgmq.bridge.pgmq;

import java.time.Instant;
import java.util.Objects;

/** When a sent message becomes visible: at once, after whole seconds, or at an instant (pgmq 1.5+). */
public sealed interface Delay {
    Delay NONE = new None();

    static Delay none() {
        return NONE;
    }

    static Delay seconds(int seconds) {
        return new Seconds(seconds);
    }

    static Delay until(Instant instant) {
        return new Until(instant);
    }

    /** Visible as soon as the sending transaction commits. */
    record None() implements Delay {}

    /** pgmq's integer {@code delay}: seconds after the send statement ran. */
    record Seconds(int seconds) implements Delay {
        public Seconds {
            if (seconds < 0) {
                throw new IllegalArgumentException("delay must be >= 0 seconds, was " + seconds);
            }
        }
    }

    /** pgmq's {@code timestamptz} delay; an instant in the past means visible at once. */
    record Until(Instant instant) implements Delay {
        public Until {
            Objects.requireNonNull(instant, "instant");
        }
    }
}
