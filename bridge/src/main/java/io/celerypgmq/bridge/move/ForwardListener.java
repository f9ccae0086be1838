package io.celerypgmq.bridge.move;

/** Hears what a forward mover does: the daemon's metrics, replay's tallies and progress, the bench's stage profile. */
public interface ForwardListener {
    ForwardListener NONE = new ForwardListener() {};

    /** The stages a part of a batch goes through, timed one after the other. */
    enum Stage {
        CLAIM,
        DECODE_AND_PLAN,
        SEND_AND_RECORD,
        COMMIT,
        FINISH
    }

    /** A batch was taken into the in-flight list ({@code redo}: it was left there by a crash). */
    default void claimed(int messages, boolean redo) {}

    /** A part of a batch was written and finished, on the mover's writer thread. */
    default void moved(ForwardOutcome outcome) {}

    /** {@code nanos} went into {@code stage} (wall time, on the thread that did it). */
    default void stage(Stage stage, long nanos) {}
}
