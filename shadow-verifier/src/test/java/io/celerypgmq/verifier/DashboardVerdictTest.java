package io.celerypgmq.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.dashboard.VerdictSource;
import io.celerypgmq.verifier.metrics.DashboardVerdict;
import io.celerypgmq.verifier.metrics.VerdictMeters;
import io.celerypgmq.verifier.report.Report;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DashboardVerdictTest {

    @Test
    void theDashboardShowsTheVerdictTheRefresherComputedWithoutVerifyingAgain() {
        Report report = SampleReports.mixed();
        AtomicInteger verifications = new AtomicInteger();
        VerdictMeters meters = new VerdictMeters(
                () -> {
                    verifications.incrementAndGet();
                    return report;
                },
                Clock.fixed(SampleReports.NOW, ZoneOffset.UTC));
        DashboardVerdict dashboard = new DashboardVerdict(() -> meters, Duration.ofHours(24));
        assertThat(dashboard.latest()).as("before the first refresh").isEmpty();

        meters.refresh();

        assertThat(dashboard.latest()).hasValueSatisfying(v -> {
            assertThat(v.verdict()).isEqualTo("NO-GO");
            assertThat(v.decidedAt()).isEqualTo(report.generatedAt());
            assertThat(v.summary())
                    .startsWith("trailing 24 h: ")
                    .contains(report.totals().enqueued() + " ledger entries, 1 missing")
                    .contains("2 criterion result(s) failed");
        });
        assertThat(dashboard.latest().map(VerdictSource.Verdict::verdict)).contains("NO-GO");
        assertThat(verifications).hasValue(1);
    }
}
