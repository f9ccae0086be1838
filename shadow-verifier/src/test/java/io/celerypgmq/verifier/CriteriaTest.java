package io.celerypgmq.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.config.ConfigException;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.verifier.criteria.CriteriaBook;
import io.celerypgmq.verifier.criteria.Criterion;
import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.criteria.Evaluator;
import io.celerypgmq.verifier.criteria.Gate;
import io.celerypgmq.verifier.criteria.Thresholds;
import io.celerypgmq.verifier.criteria.Verdict;
import io.celerypgmq.verifier.latency.WaitStats;
import io.celerypgmq.verifier.reconcile.EntryStatus;
import io.celerypgmq.verifier.reconcile.StatusCounts;
import io.celerypgmq.verifier.uptime.UptimeStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CriteriaTest {
    private static final ObjectMapper YAML = ConfigSource.yaml();

    private static CriteriaBook book(String yaml) throws Exception {
        return CriteriaBook.fromYaml(YAML.readTree(yaml).path("verify").path("criteria"));
    }

    private static Verdict verdict(List<CriterionResult> results, Criterion c) {
        return results.stream()
                .filter(r -> r.criterion() == c)
                .findFirst()
                .orElseThrow()
                .verdict();
    }

    @Test
    void theDefaultsAreTheSeedsSuccessCriteria() throws Exception {
        Thresholds t = book("verify: {}").forTask("anything");
        assertThat(t.maxDlqRatePercent()).isEqualTo(1.0);
        assertThat(t.minUptimePercent()).isEqualTo(99.9);
        assertThat(t.maxP95Wait()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void anExactTaskNameBeatsGlobsAndTheLongestLiteralPrefixBeatsShorterOnes() throws Exception {
        CriteriaBook b = book(
                """
                verify:
                  criteria:
                    max-p95-wait-seconds: 4
                    tasks:
                      "*": {max-p95-wait-seconds: 100}
                      "reports.*": {max-p95-wait-seconds: 60}
                      "reports.daily": {max-p95-wait-seconds: 600, min-uptime-percent: 99}
                """);
        assertThat(b.forTask("reports.daily").maxP95Wait()).isEqualTo(Duration.ofSeconds(600));
        assertThat(b.forTask("reports.daily").minUptimePercent()).isEqualTo(99.0);
        assertThat(b.forTask("reports.weekly").maxP95Wait()).isEqualTo(Duration.ofSeconds(60));
        assertThat(b.forTask("reports.weekly").maxDlqRatePercent())
                .as("untouched keys keep the defaults")
                .isEqualTo(1.0);
        assertThat(b.forTask("send_email").maxP95Wait()).isEqualTo(Duration.ofSeconds(100));
    }

    @Test
    void aMistypedOrOutOfRangeSettingNamesItsKey() {
        assertThatThrownBy(() -> book("verify: {criteria: {max-p95-wait: 3}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("verify.criteria.max-p95-wait")
                .hasMessageContaining("unknown");
        assertThatThrownBy(() -> book("verify: {criteria: {tasks: {x: {min-uptime-percent: 120}}}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("verify.criteria.tasks.x")
                .hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> book("verify: {criteria: {max-dlq-rate-percent: lots}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a number");
    }

    @Test
    void limitsAreStrictAsTheSeedsWordThem() {
        Thresholds t = Thresholds.DEFAULTS;
        StatusCounts onePercent =
                new StatusCounts(Map.of(EntryStatus.ARCHIVED, 99L, EntryStatus.DEAD_LETTERED, 1L), 0, 0);
        WaitStats fiveSeconds = new WaitStats(
                10,
                0,
                0,
                0,
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                SampleReports.emptyHistogram());
        UptimeStats exactly = new UptimeStats(1000, 999, t.stall(), null, null, null);

        List<CriterionResult> r = Evaluator.evaluate(t, onePercent, fiveSeconds, exactly, null);

        assertThat(verdict(r, Criterion.DLQ_RATE)).as("1 %% is not < 1 %%").isEqualTo(Verdict.FAIL);
        assertThat(verdict(r, Criterion.QUEUE_WAIT_P95)).as("5 s is not < 5 s").isEqualTo(Verdict.FAIL);
        assertThat(verdict(r, Criterion.CONSUMER_UPTIME))
                .as("99.9 %% is not > 99.9 %%")
                .isEqualTo(Verdict.FAIL);
        assertThat(verdict(r, Criterion.ZERO_LOSS)).isEqualTo(Verdict.PASS);
        assertThat(r).extracting(CriterionResult::criterion).doesNotContain(Criterion.SHADOW_AGREEMENT);
    }

    @Test
    void withoutDataACriterionIsNotMeasuredAndTheGateSaysIncompleteNotGo() {
        StatusCounts some = new StatusCounts(Map.of(EntryStatus.ARCHIVED, 5L), 0, 0);
        List<CriterionResult> r = Evaluator.evaluate(
                Thresholds.DEFAULTS, some, WaitStats.NONE, UptimeStats.none(Duration.ofSeconds(30)), null);

        assertThat(verdict(r, Criterion.CONSUMER_UPTIME)).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(verdict(r, Criterion.QUEUE_WAIT_P95)).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(Gate.of(r)).isEqualTo(Gate.INCOMPLETE);
        assertThat(Gate.INCOMPLETE.passes(false)).isTrue();
        assertThat(Gate.INCOMPLETE.passes(true)).isFalse();
        assertThat(Gate.NO_GO.passes(false)).isFalse();
    }
}
