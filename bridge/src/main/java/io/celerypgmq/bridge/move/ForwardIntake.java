package io.celerypgmq.bridge.move;

import java.util.List;

/**
 * Where a forward mover's batches come from: an atomic move of up to {@code max} messages into {@code inFlight} (the
 * bridge's claim from its source lists; a drain's chosen list elements or {@code unacked} entries), returning exactly
 * what it moved, in claim order. An empty list ends the pass (nothing left, a limit reached, a cancel).
 */
@FunctionalInterface
public interface ForwardIntake {
    List<ClaimedMessage> take(InFlightList inFlight, int max);
}
