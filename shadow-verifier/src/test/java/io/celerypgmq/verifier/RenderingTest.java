package io.celerypgmq.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.verifier.criteria.Gate;
import io.celerypgmq.verifier.report.Report;
import io.celerypgmq.verifier.report.ReportFormat;
import org.junit.jupiter.api.Test;

class RenderingTest {
    private final Report report = SampleReports.mixed();

    @Test
    void theTerminalTableShowsTheGateAndAVerdictPerCriterionAndTaskType() {
        String text = ReportFormat.TEXT.render(report);

        assertThat(report.gate()).isEqualTo(Gate.NO_GO);
        assertThat(text).contains("Gate: NO-GO");
        assertThat(text).containsPattern("a\\|b<c>\\s+zero loss\\s+1 missing of 10\\s+0 missing\\s+FAIL");
        assertThat(text).containsPattern("send_welcome_email\\s+DLQ rate\\s+0.2 % \\(2 of 1000\\)\\s+< 1 %\\s+PASS");
        assertThat(text).containsPattern("send_welcome_email\\s+consumer uptime\\s+100 %.*PASS");
        assertThat(text).containsPattern("a\\|b<c>\\s+consumer uptime\\s+not measured.*NOT MEASURED");
        assertThat(text).contains("id-lost", "KeyError | x", "CAVEATS");
        assertThat(text.lines().reduce((a, b) -> b).orElseThrow()).startsWith("Gate: NO-GO");
    }

    @Test
    void jsonCarriesNumbersAndNullsForWhatWasNotMeasured() throws Exception {
        JsonNode json = new ObjectMapper().readTree(ReportFormat.JSON.render(report));

        assertThat(json.get("gate").asText()).isEqualTo("NO_GO");
        assertThat(json.get("missing_total").asLong()).isEqualTo(1);
        assertThat(json.at("/missing/0/identity").asText()).isEqualTo("id-lost");
        JsonNode bad = json.get("tasks").get(0);
        assertThat(bad.get("task").asText()).isEqualTo("a|b<c>");
        assertThat(bad.at("/uptime/percent").isNull()).isTrue();
        assertThat(bad.at("/shadow/mismatch_examples/0/celery").asText()).isEqualTo("SUCCESS");
        JsonNode good = json.get("tasks").get(1);
        assertThat(good.at("/queue_wait/p95_seconds").asDouble()).isEqualTo(0.8);
        assertThat(good.at("/criteria/1/value").asDouble()).isEqualTo(0.2);
        assertThat(good.at("/counts/pending_in_flight").asLong()).isEqualTo(3);
    }

    @Test
    void markdownEscapesPipesSoTablesKeepTheirColumns() {
        String md = ReportFormat.MARKDOWN.render(report);

        assertThat(md).contains("**Gate: NO-GO");
        assertThat(md).contains("| a\\|b&lt;c> | zero loss | 1 missing of 10 | 0 missing | FAIL |");
        assertThat(md).contains("- a caveat \\| with a pipe");
        assertThat(md.lines().filter(l -> l.startsWith("| a\\|b&lt;c> | zero loss")))
                .allMatch(
                        l -> l.replace("\\|", "").chars().filter(c -> c == '|').count() == 7);
    }

    @Test
    void formatsAreParsedByNameAndAnUnknownOneIsRefusedWithTheChoices() {
        assertThat(ReportFormat.parse("Markdown")).isEqualTo(ReportFormat.MARKDOWN);
        assertThat(ReportFormat.parse("md")).isEqualTo(ReportFormat.MARKDOWN);
        assertThatThrownBy(() -> ReportFormat.parse("xml")).hasMessageContaining("text, json, markdown or html");
    }
}
