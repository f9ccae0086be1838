package io.celerypgmq.rollout.gate;

import io.celerypgmq.verifier.criteria.Criterion;
import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.criteria.Thresholds;
import io.celerypgmq.verifier.reconcile.MissingEntry;
import io.celerypgmq.verifier.report.Report;
import io.celerypgmq.verifier.report.TaskReport;
import io.celerypgmq.verifier.uptime.UptimeStats;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the verifier found for one task type over one window: its criteria results, the identities it found nowhere,
 * and its consumer uptime samples. A window without ledger entries of the task type reads as nothing measured.
 */
public record StepReading(
        List<CriterionResult> criteria,
        Set<String> missing,
        long missingTotal,
        UptimeStats uptime,
        Thresholds thresholds) {

    public StepReading {
        criteria = List.copyOf(criteria);
        missing = Set.copyOf(missing);
        Objects.requireNonNull(uptime, "uptime");
        Objects.requireNonNull(thresholds, "thresholds");
    }

    /** The task type's part of {@code report}; {@code thresholds} apply when the report has none for it. */
    public static StepReading of(Report report, String task, Thresholds thresholds) {
        Optional<TaskReport> t = report.task(task);
        Set<String> missing = new LinkedHashSet<>();
        for (MissingEntry m : report.missing()) {
            if (task.equals(m.taskName())) {
                missing.add(m.identity());
            }
        }
        if (t.isEmpty()) {
            return new StepReading(
                    List.of(), missing, missing.size(), UptimeStats.none(thresholds.stall()), thresholds);
        }
        return new StepReading(
                t.get().criteria(),
                missing,
                t.get().counts().missing(),
                t.get().uptime(),
                t.get().thresholds());
    }

    public Optional<CriterionResult> result(Criterion criterion) {
        return criteria.stream().filter(c -> c.criterion() == criterion).findFirst();
    }
}
