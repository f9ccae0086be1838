package io.celerypgmq.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.benchmarks.report.Figure;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatiosTest {
    private static Figure figure(String id, int threads, double median, Double target) {
        return rounds(id, threads, List.of(median), target);
    }

    private static Figure rounds(String id, int threads, List<Double> perRound, Double target) {
        List<Double> sorted = perRound.stream().sorted().toList();
        return new Figure(
                id,
                id,
                "x",
                threads,
                10,
                perRound,
                sorted.get(sorted.size() / 2),
                sorted.get(0),
                sorted.get(sorted.size() - 1),
                null,
                null,
                target,
                null,
                null,
                null,
                null,
                null);
    }

    @Test
    void twoInstanceFiguresAreJudgedAgainstTheTwoThreadHopAndTheRestAgainstTheOneThreadHop() {
        List<Figure> in = List.of(
                figure("raw.hop.b100.t1", 1, 10_000, null),
                figure("raw.hop.b100.t2", 2, 16_000, null),
                figure("bridge.forward.task.b100.i1", 1, 7_000, 0.8),
                figure("bridge.forward.task.b100.i2", 2, 13_600, 0.8));
        List<Figure> out = Bench.withRatios(in, in, true);

        assertThat(out.get(2).ratio()).isEqualTo(0.7);
        assertThat(out.get(2).meetsTarget()).isFalse();
        assertThat(out.get(3).ratio()).isEqualTo(1.36);
        assertThat(out.get(3).ratioSameThreads()).isEqualTo(0.85);
        assertThat(out.get(3).meetsTarget()).isTrue();
        assertThat(out.get(0).meetsTarget()).isNull();
    }

    @Test
    void aRatioIsTheMedianOfPerRoundRatiosSoARoundSlowedForEveryoneCancelsOut() {
        List<Figure> in = List.of(
                rounds("raw.hop.b100.t1", 1, List.of(10_000.0, 4_000.0, 10_000.0), null),
                rounds("bridge.forward.task.b100.i1", 1, List.of(9_000.0, 3_600.0, 8_000.0), 0.8));

        Figure paired = Bench.withRatios(in, in, true).get(1);
        Figure unpaired = Bench.withRatios(in, in, false).get(1);

        assertThat(paired.ratio()).isEqualTo(0.9);
        assertThat(paired.meetsTarget()).isTrue();
        assertThat(unpaired.ratio()).isEqualTo(0.8);
    }
}
