package io.celerypgmq.benchmarks;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What one bench run does.
 *
 * @param messages messages per timed pass
 * @param rounds timed passes per figure (the median and spread are over these)
 * @param warmupMessages messages per unrecorded warm-up pass (0: none)
 * @param warmupRounds warm-up rounds at most; they stop early once the JIT is quiet
 * @param only figures whose id matches are measured (throughput only)
 * @param latencySeconds per latency measurement (0: skip)
 * @param memoryMessages the smaller queue of the memory check (the larger is 4×; 0: skip)
 * @param profileMessages messages of the stage-timer and JFR passes (0: skip)
 */
public record BenchOptions(
        String mode,
        int messages,
        int rounds,
        int warmupMessages,
        int warmupRounds,
        Pattern only,
        boolean jmh,
        int latencySeconds,
        int memoryMessages,
        int profileMessages,
        boolean compareCelery,
        Path output) {

    public BenchOptions {
        if (messages < 1 || rounds < 1) {
            throw new IllegalArgumentException("messages and rounds must be at least 1");
        }
    }

    /**
     * About six minutes on a 2-core machine. Up to four warm-up rounds, since C2 keeps compiling the bridge's hot path
     * for several seconds of CPU. Five rounds: the raw hop swings between two speeds from round to round
     * on such a machine, and three rounds let one unlucky round decide the median.
     */
    public static BenchOptions full(Path output) {
        return new BenchOptions(
                "full", 15_000, 5, 15_000, 4, Pattern.compile(".*"), true, 10, 15_000, 15_000, true, output);
    }

    /** A smoke run of every part, in a minute or two. */
    public static BenchOptions quick(Path output) {
        return new BenchOptions(
                "quick", 3_000, 3, 1_000, 1, Pattern.compile(".*"), true, 3, 5_000, 3_000, false, output);
    }

    public boolean includes(String figureId) {
        return only.matcher(figureId).matches();
    }
}
