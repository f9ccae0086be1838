package io.celerypgmq.bridge.daemon;

import io.celerypgmq.bridge.move.ForwardListener;
import io.celerypgmq.bridge.move.ReverseMover;
import io.celerypgmq.bridge.move.ReverseOutcome;

/**
 * The narrow port the daemon's pumps report through: what the movers did, and passes that failed. The daemon plugs in
 * Micrometer; tests and tools use {@link #NONE}.
 */
public interface PumpMetrics extends ForwardListener, ReverseMover.Listener {
    PumpMetrics NONE = new PumpMetrics() {};

    @Override
    default void moved(ReverseOutcome outcome) {}

    /** A pass failed; the pump keeps going after backing off. */
    default void failed(String pump, Throwable error) {}
}
