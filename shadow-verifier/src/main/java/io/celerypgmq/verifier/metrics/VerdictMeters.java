package io.celerypgmq.verifier.metrics;

import io.celerypgmq.verifier.Verifier;
import io.celerypgmq.verifier.VerifyRequest;
import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.criteria.Verdict;
import io.celerypgmq.verifier.report.Report;
import io.celerypgmq.verifier.report.TaskReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current verdict as gauges for the bridge's {@code /metrics}. Verifying scans the ledger, so it is not done at
 * scrape time: the owner calls {@link #refresh()} on its own schedule (say once a minute) and scrapes read the last
 * result. A failed refresh keeps the previous values and counts the failure.
 *
 * <ul>
 *   <li>{@code celery_pgmq_verify_go} 1 when the gate passes (GO or INCOMPLETE), 0 on NO-GO, NaN before the first run
 *   <li>{@code celery_pgmq_verify_criterion{task,criterion}} 1 pass, 0 fail, -1 not measured
 *   <li>{@code celery_pgmq_verify_value{task,criterion}} the measured number (percent, seconds, count), NaN unmeasured
 *   <li>{@code celery_pgmq_verify_missing} missing ledger entries; {@code celery_pgmq_verify_age_seconds} age of the
 *       last successful run; {@code celery_pgmq_verify_failed_refreshes} consecutive failures
 * </ul>
 */
public final class VerdictMeters implements MeterBinder {
    private static final Logger LOG = LoggerFactory.getLogger(VerdictMeters.class);

    private final Supplier<Report> verify;
    private final Clock clock;
    private volatile Report last;
    private final AtomicLong failures = new AtomicLong();
    private MultiGauge criteria;
    private MultiGauge values;

    public VerdictMeters(Supplier<Report> verify, Clock clock) {
        this.verify = verify;
        this.clock = clock;
    }

    /** Gauges over the trailing {@code window} (e.g. 24 h) of all task types. */
    public static VerdictMeters trailing(Verifier verifier, Clock clock, Duration window) {
        return new VerdictMeters(
                () -> verifier.run(new VerifyRequest(clock.instant().minus(window), null, null)), clock);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(
                        "celery_pgmq_verify_go",
                        this,
                        m -> m.last == null ? Double.NaN : m.last.gate().passes(false) ? 1 : 0)
                .description("1 when the verification gate passes, 0 on NO-GO")
                .register(registry);
        Gauge.builder("celery_pgmq_verify_missing", this, m -> m.last == null ? Double.NaN : m.last.missingTotal())
                .description("Ledger entries found nowhere in pgmq")
                .register(registry);
        Gauge.builder("celery_pgmq_verify_age_seconds", this, VerdictMeters::age)
                .description("Seconds since the verdict was computed")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("celery_pgmq_verify_failed_refreshes", failures, AtomicLong::get)
                .description("Consecutive failed verification refreshes")
                .register(registry);
        criteria = MultiGauge.builder("celery_pgmq_verify_criterion")
                .description("Per task type and criterion: 1 pass, 0 fail, -1 not measured")
                .register(registry);
        values = MultiGauge.builder("celery_pgmq_verify_value")
                .description("Per task type and criterion: the measured value")
                .register(registry);
        publish();
    }

    /** Verifies now and updates the gauges; returns the report, or empty when verifying failed. */
    public Optional<Report> refresh() {
        try {
            last = verify.get();
            failures.set(0);
            publish();
            return Optional.of(last);
        } catch (RuntimeException e) {
            long n = failures.incrementAndGet();
            LOG.warn("[verify] refreshing the verdict gauges failed ({} in a row): {}", n, e.getMessage(), e);
            return Optional.empty();
        }
    }

    public Optional<Report> last() {
        return Optional.ofNullable(last);
    }

    private void publish() {
        Report r = last;
        if (r == null || criteria == null) {
            return;
        }
        List<MultiGauge.Row<?>> verdicts = new ArrayList<>();
        List<MultiGauge.Row<?>> measured = new ArrayList<>();
        for (TaskReport t : r.tasks()) {
            for (CriterionResult c : t.criteria()) {
                Tags tags = Tags.of("task", t.task(), "criterion", c.criterion().key());
                verdicts.add(MultiGauge.Row.of(tags, code(c.verdict())));
                measured.add(MultiGauge.Row.of(tags, c.value()));
            }
        }
        criteria.register(verdicts, true);
        values.register(measured, true);
    }

    static double code(Verdict v) {
        return switch (v) {
            case PASS -> 1;
            case FAIL -> 0;
            case NOT_MEASURED -> -1;
        };
    }

    private double age() {
        Report r = last;
        return r == null
                ? Double.NaN
                : Duration.between(r.generatedAt(), clock.instant()).toMillis() / 1000.0;
    }
}
