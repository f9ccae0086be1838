package io.celerypgmq.verifier.compare;

import io.celerypgmq.verifier.criteria.DeletedOutcomes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Celery's result backend how the tasks of entries deleted from queues without a DLQ ended, so the DLQ-rate
 * criterion can count failures of consumers that ack and reject by delete (Celery workers on {@code pgmq://}).
 */
public final class AckedOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(AckedOutcomes.class);

    private AckedOutcomes() {}

    /**
     * @param idsByTask task name → Celery task ids of its entries deleted from queues without a DLQ
     * @param results Celery's result backend, or {@code null} when none is configured
     * @param caveats where a backend that cannot be read is reported
     */
    public static Map<String, DeletedOutcomes> read(
            Map<String, List<String>> idsByTask, ResultBackend results, List<String> caveats) {
        Map<String, DeletedOutcomes> out = new TreeMap<>();
        if (idsByTask.isEmpty()) {
            return out;
        }
        if (results == null) {
            idsByTask.forEach((task, ids) ->
                    out.put(task, DeletedOutcomes.unread(ids.size(), "no Celery result backend configured")));
            return out;
        }
        Map<String, CeleryState> states;
        try {
            states = results.states(
                    idsByTask.values().stream().flatMap(List::stream).distinct().toList());
        } catch (RuntimeException e) {
            LOG.warn("[verify] cannot read Celery results from {}: {}", results.describe(), e.getMessage());
            caveats.add("Celery result backend " + results.describe() + " could not be read (" + e.getMessage()
                    + "): the DLQ rate of consumers that ack by delete is not measured");
            idsByTask.forEach((task, ids) -> out.put(
                    task, DeletedOutcomes.unread(ids.size(), "Celery result backend unreadable: " + e.getMessage())));
            return out;
        }
        idsByTask.forEach((task, ids) -> {
            long failed = 0;
            long finished = 0;
            for (String id : ids) {
                CeleryState s = states.get(id);
                if (s == CeleryState.FAILURE) {
                    failed++;
                } else if (s == CeleryState.SUCCESS || s == CeleryState.REVOKED) {
                    finished++;
                }
            }
            out.put(task, new DeletedOutcomes(ids.size(), failed, finished, null));
        });
        return out;
    }
}
