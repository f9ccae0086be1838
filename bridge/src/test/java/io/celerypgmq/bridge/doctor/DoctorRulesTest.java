package io.celerypgmq.bridge.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.bridge.codec.PriorityKeys;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure rules behind doctor's findings. */
class DoctorRulesTest {
    private static final DoctorOptions OPTIONS = DoctorOptions.defaults(PriorityKeys.defaults());
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aSkewWithinTheRoundTripIsForgiven() {
        Finding f = ClockCheck.judge("Redis", "r", T, T.plusMillis(3000), T.plusMillis(2400), OPTIONS);
        // 900 ms after the midpoint, but the round trip leaves 1500 ms of doubt.
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.problem()).isEqualTo("Redis's clock is 900 ms ahead of this host's (round trip 3000 ms)");
    }

    @Test
    void aSkewBeyondDoubtIsAWarningThenAnError() {
        assertThat(ClockCheck.judge("Redis", "r", T, T.plusMillis(10), T.plusSeconds(2), OPTIONS)
                        .severity())
                .isEqualTo(Severity.WARNING);
        Finding late = ClockCheck.judge("Postgres", "p", T, T.plusMillis(10), T.minusSeconds(45), OPTIONS);
        assertThat(late.severity()).isEqualTo(Severity.ERROR);
        assertThat(late.problem()).startsWith("Postgres's clock is 45005 ms behind");
        assertThat(late.fix()).contains("NTP");
    }

    @Test
    void aShorterQueueNameKeepsWhatFitsAndAHashOfTheWhole() {
        assertThat(QueueNameCheck.suggestion("Emails-High")).isEqualTo("emails_high");
        String longName = "x".repeat(60);
        String short1 = QueueNameCheck.suggestion(longName);
        assertThat(short1).hasSize(47).startsWith("x".repeat(38) + "_");
        assertThat(QueueNameCheck.suggestion(longName + "y")).isNotEqualTo(short1);
    }

    @Test
    void aProblemWithoutAFixIsRefused() {
        assertThatThrownBy(() -> Finding.warning("x", "y", "broken", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a fix");
        assertThat(Finding.info("x", "y", "fine").fix()).isEmpty();
    }

    @Test
    void theReportPutsErrorsFirstAndGroupsBySeverity() {
        DoctorReport r = new DoctorReport(
                T,
                List.of(
                        Finding.info("redis", "r", "Redis 7 reachable"),
                        Finding.warning("pgmq", "p", "not installed", "celery-pgmq pgmq install"),
                        Finding.error("eta", "celery", "runs twice", "raise the timeout")));

        assertThat(r.findings())
                .extracting(Finding::severity)
                .containsExactly(Severity.ERROR, Severity.WARNING, Severity.INFO);
        assertThat(r.text())
                .containsExactly(
                        "celery-pgmq doctor: 1 error(s), 1 warning(s), 1 note(s)",
                        "",
                        "ERROR (1)",
                        "  [eta] celery: runs twice",
                        "      fix: raise the timeout",
                        "",
                        "WARNING (1)",
                        "  [pgmq] p: not installed",
                        "      fix: celery-pgmq pgmq install",
                        "",
                        "INFO (1)",
                        "  [redis] r: Redis 7 reachable");
        assertThat(r.json())
                .isEqualTo("{\"checked_at\":\"2026-01-01T00:00:00Z\",\"errors\":1,\"warnings\":1,\"notes\":1,"
                        + "\"findings\":[{\"severity\":\"error\",\"check\":\"eta\",\"subject\":\"celery\","
                        + "\"problem\":\"runs twice\",\"fix\":\"raise the timeout\"},{\"severity\":\"warning\","
                        + "\"check\":\"pgmq\",\"subject\":\"p\",\"problem\":\"not installed\","
                        + "\"fix\":\"celery-pgmq pgmq install\"},{\"severity\":\"info\",\"check\":\"redis\","
                        + "\"subject\":\"r\",\"problem\":\"Redis 7 reachable\",\"fix\":\"\"}]}");
    }
}
