package io.celerypgmq.benchmarks.scenario;

/**
 * One throughput figure: an untimed {@link #prepare}, a timed {@link #run}, an untimed {@link #check}. A pass that
 * does not move every message it was given fails the figure rather than producing a flattering number.
 */
public interface Scenario {
    /** Stable key in the JSON, e.g. {@code bridge.forward.task.b100}. */
    String id();

    /** What a reader sees in the table. */
    String label();

    /** {@code raw}, {@code bridge} or {@code replay}: what the figure is compared with. */
    String group();

    /** Puts {@code messages} where the timed part will find them. */
    void prepare(int messages);

    /** Moves them; returns how many it moved. */
    long run();

    /** Checks where they ended up; returns how many arrived (the JSON records both). */
    long check();

    /** The ratio to the raw hop this figure should reach, or {@code null} when it is a limit itself. */
    default Double target() {
        return null;
    }

    /** How many pumps or hops work at once; ratios compare with the raw hop of the same count. */
    default int threads() {
        return 1;
    }
}
