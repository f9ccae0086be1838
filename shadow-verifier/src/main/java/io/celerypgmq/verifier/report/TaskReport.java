package io.celerypgmq.verifier.report;

import io.celerypgmq.verifier.compare.ComparisonRow;
import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.criteria.Thresholds;
import io.celerypgmq.verifier.latency.WaitStats;
import io.celerypgmq.verifier.reconcile.StatusCounts;
import io.celerypgmq.verifier.uptime.UptimeStats;
import java.util.List;

/**
 * Everything measured about one task type, and its criteria.
 *
 * @param routedToCelery messages of this type the bridge handed to Celery in the window (flow counters)
 * @param queues the pgmq queues its entries were sent to
 * @param shadow the dual-run comparison, or {@code null} when it had no shadow copies
 * @param criteria empty for a type that only went to Celery: nothing to judge
 */
public record TaskReport(
        String task,
        StatusCounts counts,
        long routedToCelery,
        List<String> queues,
        WaitStats waits,
        UptimeStats uptime,
        ComparisonRow shadow,
        Thresholds thresholds,
        List<CriterionResult> criteria) {

    public TaskReport {
        queues = List.copyOf(queues);
        criteria = List.copyOf(criteria);
    }
}
