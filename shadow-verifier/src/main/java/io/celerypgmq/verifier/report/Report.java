package io.celerypgmq.verifier.report;

import io.celerypgmq.verifier.Window;
import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.criteria.Gate;
import io.celerypgmq.verifier.latency.WaitStats;
import io.celerypgmq.verifier.reconcile.MissingEntry;
import io.celerypgmq.verifier.reconcile.StatusCounts;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A verification: reconciliation of every ledger entry in the window, criteria per task type, the go/no-go gate,
 * and the data behind the charts. Immutable; renderers turn it into text, JSON, Markdown or HTML.
 *
 * @param taskFilter the {@code --task} glob, or {@code null} for all task types
 * @param missing the first missing entries, oldest first (all of them up to the configured limit)
 */
public record Report(
        Instant generatedAt,
        Window window,
        String taskFilter,
        Gate gate,
        List<TaskReport> tasks,
        List<QueueReport> queues,
        StatusCounts totals,
        WaitStats totalWaits,
        List<MissingEntry> missing,
        List<QuarantineCount> quarantine,
        Coverage coverage,
        Timeline timeline,
        List<String> caveats) {

    public Report {
        tasks = List.copyOf(tasks);
        queues = List.copyOf(queues);
        missing = List.copyOf(missing);
        quarantine = List.copyOf(quarantine);
        caveats = List.copyOf(caveats);
    }

    /** Every task type's criteria results. */
    public List<CriterionResult> criteria() {
        return tasks.stream().flatMap(t -> t.criteria().stream()).toList();
    }

    public Optional<TaskReport> task(String name) {
        return tasks.stream().filter(t -> t.task().equals(name)).findFirst();
    }

    /** Total missing entries (the list may be cut at the limit). */
    public long missingTotal() {
        return totals.missing();
    }
}
