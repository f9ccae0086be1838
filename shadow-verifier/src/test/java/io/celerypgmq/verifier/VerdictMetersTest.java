package io.celerypgmq.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.verifier.metrics.VerdictMeters;
import io.celerypgmq.verifier.report.Report;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class VerdictMetersTest {

    @Test
    void gaugesShowTheLastVerdictAndAFailedRefreshKeepsItWhileCountingTheFailure() {
        Report report = SampleReports.mixed();
        AtomicBoolean broken = new AtomicBoolean(false);
        VerdictMeters meters = new VerdictMeters(
                () -> {
                    if (broken.get()) {
                        throw new VerificationException("database gone");
                    }
                    return report;
                },
                Clock.fixed(SampleReports.NOW.plusSeconds(90), ZoneOffset.UTC));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        meters.bindTo(registry);
        assertThat(registry.get("celery_pgmq_verify_go").gauge().value())
                .as("before the first run")
                .isNaN();

        assertThat(meters.refresh()).contains(report);
        broken.set(true);
        assertThat(meters.refresh()).isEmpty();

        assertThat(registry.get("celery_pgmq_verify_go").gauge().value()).isZero();
        assertThat(registry.get("celery_pgmq_verify_missing").gauge().value()).isEqualTo(1);
        assertThat(registry.get("celery_pgmq_verify_age_seconds").gauge().value())
                .isEqualTo(90);
        assertThat(registry.get("celery_pgmq_verify_failed_refreshes").gauge().value())
                .isEqualTo(1);
        assertThat(registry.get("celery_pgmq_verify_criterion")
                        .tags("task", "a|b<c>", "criterion", "zero_loss")
                        .gauge()
                        .value())
                .isZero();
        assertThat(registry.get("celery_pgmq_verify_criterion")
                        .tags("task", "send_welcome_email", "criterion", "dlq_rate")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(registry.get("celery_pgmq_verify_criterion")
                        .tags("task", "a|b<c>", "criterion", "consumer_uptime")
                        .gauge()
                        .value())
                .as("not measured")
                .isEqualTo(-1);
        assertThat(registry.get("celery_pgmq_verify_value")
                        .tags("task", "send_welcome_email", "criterion", "queue_wait_p95")
                        .gauge()
                        .value())
                .isEqualTo(0.8);
    }
}
