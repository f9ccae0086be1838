package io.celerypgmq.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.benchmarks.env.Backends;
import io.celerypgmq.benchmarks.report.Report;
import io.celerypgmq.benchmarks.report.ReportTable;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness on a tiny input: it must move every message, and its JSON must carry sane, related figures. */
@RealBackends
class BenchHarnessTest {
    private static final Pattern FIGURES = Pattern.compile(
            "raw\\.hop\\.b100\\.t1|bridge\\.forward\\.(task|kombu)\\.b100\\.i1|bridge\\.reverse\\.task\\.b100");

    @Test
    void aTinyRunMovesEveryMessageAndWritesRatiosToTheRawHop(TestPostgres pg, TestRedis redis, @TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("bench-results.json");
        BenchOptions options = new BenchOptions("test", 1_000, 1, 300, 2, FIGURES, false, 0, 0, 0, false, file);
        List<String> progress = new ArrayList<>();

        Report report = new Bench(options, progress::add).run(Backends.existing(pg.url(), redis.url()));
        BenchMain.write(report, file);

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.path("messageBytes").asInt()).isBetween(1_100, 1_300);
        assertThat(json.path("pgmq").asText()).containsAnyOf("pgmq extension", "compatible schema", "SQL install");
        JsonNode figures = json.path("throughput");
        assertThat(figures).hasSize(4);
        double hop = json.path("rawHop").asDouble();
        assertThat(hop).isPositive();
        for (JsonNode f : figures) {
            assertThat(f.path("error").isNull()).as("%s error", f.path("id")).isTrue();
            assertThat(f.path("messagesPerPass").asInt()).isEqualTo(1_000);
            assertThat(f.path("perSecond")).hasSize(1);
            assertThat(f.path("median").asDouble()).isPositive();
            assertThat(f.path("ratio").asDouble())
                    .as("%s ratio", f.path("id"))
                    .isCloseTo(f.path("median").asDouble() / hop, org.assertj.core.data.Offset.offset(0.001));
        }
        assertThat(figures.get(0).path("id").asText()).isEqualTo("raw.hop.b100.t1");
        assertThat(figures.get(0).path("ratio").asDouble()).isEqualTo(1.0);
        assertThat(figures.get(1).path("target").asDouble()).isEqualTo(0.8);
        assertThat(figures.get(3).path("target").asDouble()).isEqualTo(0.7);
        assertThat(ReportTable.render(report)).contains("raw: hop", "bridge: forward pump", "bridge: reverse pump");
        assertThat(progress).anyMatch(line -> line.contains("round 1"));
        // warm-up passes come first and are not recorded: one pass per round above, whatever the warm-up did
        assertThat(progress).anyMatch(line -> line.matches("  warm-up 1: the JIT compiled for \\d+ ms of \\d+ ms.*"));
        assertThat(progress.indexOf(progress.stream()
                        .filter(l -> l.startsWith("  warm-up 1 "))
                        .findFirst()
                        .orElseThrow()))
                .isLessThan(progress.indexOf(progress.stream()
                        .filter(l -> l.startsWith("  round 1 "))
                        .findFirst()
                        .orElseThrow()));
    }
}
