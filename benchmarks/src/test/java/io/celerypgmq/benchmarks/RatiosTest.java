package io.celerypgmq.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.benchmarks.report.Figure;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatiosTest {
    private static Figure figure(String id, int threads, double median, Double target) {
        return new Figure(
                id,
                id,
                "x",
                threads,
                10,
                List.of(median),
                median,
                median,
                median,
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
        List<Figure> out = Bench.withRatios(List.of(
                figure("raw.hop.b100.t1", 1, 10_000, null),
                figure("raw.hop.b100.t2", 2, 16_000, null),
                figure("bridge.forward.task.b100.i1", 1, 7_000, 0.8),
                figure("bridge.forward.task.b100.i2", 2, 13_600, 0.8)));

        assertThat(out.get(2).ratio()).isEqualTo(0.7);
        assertThat(out.get(2).meetsTarget()).isFalse();
        assertThat(out.get(3).ratio()).isEqualTo(1.36);
        assertThat(out.get(3).ratioSameThreads()).isEqualTo(0.85);
        assertThat(out.get(3).meetsTarget()).isTrue();
        assertThat(out.get(0).meetsTarget()).isNull();
    }
}
