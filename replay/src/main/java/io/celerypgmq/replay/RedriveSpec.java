package io.celerypgmq.replay;

import io.celerypgmq.bridge.pgmq.QueueName;
import java.util.Objects;

/**
 * What a redrive is asked to do: move messages out of a pgmq dead-letter queue, back to a pgmq queue or to Celery.
 *
 * @param dlq the dead-letter queue, usually {@code <queue>_dlq}
 * @param target the pgmq queue to move them to; null when {@code celeryQueue} is set
 * @param celeryQueue the Celery queue to move them to instead (rebuilt as the rollback does); null for pgmq
 */
public record RedriveSpec(
        String jobId,
        String dlq,
        String target,
        String celeryQueue,
        ReplayFilter filter,
        long limit,
        int batchSize,
        int rate,
        boolean dryRun) {
    public static final String DLQ_SUFFIX = "_dlq";

    public RedriveSpec {
        Objects.requireNonNull(dlq, "dlq");
        Objects.requireNonNull(filter, "filter");
        if ((target == null) == (celeryQueue == null)) {
            throw new IllegalArgumentException("redrive to exactly one place: a pgmq queue or a Celery queue");
        }
        QueueName.of(dlq);
        if (target != null) {
            QueueName.of(target);
        }
        if (dlq.equalsIgnoreCase(target == null ? "" : target)) {
            throw new IllegalArgumentException("the dead-letter queue and the target are the same queue: " + dlq);
        }
        if (limit < 0 || batchSize < 0 || rate < 0) {
            throw new IllegalArgumentException("--limit, --batch-size and --rate must not be negative");
        }
        if (jobId != null && !jobId.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("job id must be 1-100 letters, digits, '.', '_' or '-': " + jobId);
        }
    }

    /** Back from {@code <queue>_dlq} to {@code queue}. */
    public static RedriveSpec of(String queue) {
        return new RedriveSpec(null, queue + DLQ_SUFFIX, queue, null, ReplayFilter.ALL, 0, 0, 0, false);
    }

    public String effectiveJobId() {
        if (jobId != null) {
            return jobId;
        }
        String to = target != null ? target : "celery." + celeryQueue;
        return ("redrive-" + dlq + "-" + to).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    public RedriveSpec withFilter(ReplayFilter value) {
        return new RedriveSpec(jobId, dlq, target, celeryQueue, value, limit, batchSize, rate, dryRun);
    }

    public RedriveSpec withLimits(long limitValue, int batchValue, int rateValue) {
        return new RedriveSpec(jobId, dlq, target, celeryQueue, filter, limitValue, batchValue, rateValue, dryRun);
    }

    public RedriveSpec withDryRun(boolean value) {
        return new RedriveSpec(jobId, dlq, target, celeryQueue, filter, limit, batchSize, rate, value);
    }

    /** The same move expressed as a rollback of the DLQ (used for redrives to Celery). */
    ReverseSpec asReverse() {
        return new ReverseSpec(
                effectiveJobId(), dlq, false, celeryQueue, filter, limit, batchSize, rate, false, dryRun);
    }

    String toJson() {
        var o = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        o.put("dlq", dlq);
        o.put("target", target);
        o.put("celery_queue", celeryQueue);
        o.put("filter", filter.toString());
        o.put("limit", limit);
        o.put("rate", rate);
        return o.toString();
    }
}
