package io.celerypgmq.replay;

import io.celerypgmq.bridge.pgmq.QueueName;
import java.util.Objects;

/**
 * What a pgmq → Redis replay (rollback) is asked to do.
 *
 * @param jobId names the job; null derives {@code p2r-<queue>}
 * @param pgmqQueue the pgmq queue to empty back into Celery
 * @param includeDlq also move {@code <queue>_dlq}
 * @param celeryQueue the Celery queue to push to; null: the queue each message came from (its
 *     {@code x-celery-queue} header, or the envelope's routing key)
 * @param limit stop after this many messages (0: no limit)
 * @param batchSize messages per transaction (0: {@code replay.batch-size})
 * @param rate messages per second at most (0: no limit)
 * @param consumersStopped take also the messages pgmq consumers read and hold (their visibility timeout not passed):
 *     only once every consumer of the queue is stopped, as kombu's pgmq transport leaves a stopped worker's messages
 *     hidden until their visibility timeout (1800 s by default)
 */
public record ReverseSpec(
        String jobId,
        String pgmqQueue,
        boolean includeDlq,
        String celeryQueue,
        ReplayFilter filter,
        long limit,
        int batchSize,
        int rate,
        boolean follow,
        boolean dryRun,
        boolean consumersStopped) {

    /** A spec that leaves held messages to their consumers. */
    public ReverseSpec(
            String jobId,
            String pgmqQueue,
            boolean includeDlq,
            String celeryQueue,
            ReplayFilter filter,
            long limit,
            int batchSize,
            int rate,
            boolean follow,
            boolean dryRun) {
        this(jobId, pgmqQueue, includeDlq, celeryQueue, filter, limit, batchSize, rate, follow, dryRun, false);
    }

    public ReverseSpec {
        Objects.requireNonNull(pgmqQueue, "pgmqQueue");
        Objects.requireNonNull(filter, "filter");
        if (limit < 0 || batchSize < 0 || rate < 0) {
            throw new IllegalArgumentException("--limit, --batch-size and --rate must not be negative");
        }
        if (follow && dryRun) {
            throw new IllegalArgumentException("--follow and --dry-run do not go together: a dry run only looks once");
        }
        QueueName.of(pgmqQueue);
        if (includeDlq) {
            QueueName.of(pgmqQueue + "_dlq");
        }
        if (jobId != null && !jobId.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("job id must be 1-100 letters, digits, '.', '_' or '-': " + jobId);
        }
    }

    public static ReverseSpec of(String pgmqQueue) {
        return new ReverseSpec(null, pgmqQueue, false, null, ReplayFilter.ALL, 0, 0, 0, false, false);
    }

    public String effectiveJobId() {
        return jobId != null ? jobId : "p2r-" + pgmqQueue.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    public ReverseSpec withDlq(boolean value) {
        return new ReverseSpec(
                jobId, pgmqQueue, value, celeryQueue, filter, limit, batchSize, rate, follow, dryRun, consumersStopped);
    }

    public ReverseSpec withCeleryQueue(String value) {
        return new ReverseSpec(
                jobId, pgmqQueue, includeDlq, value, filter, limit, batchSize, rate, follow, dryRun, consumersStopped);
    }

    public ReverseSpec withFilter(ReplayFilter value) {
        return new ReverseSpec(
                jobId,
                pgmqQueue,
                includeDlq,
                celeryQueue,
                value,
                limit,
                batchSize,
                rate,
                follow,
                dryRun,
                consumersStopped);
    }

    public ReverseSpec withLimits(long limitValue, int batchValue, int rateValue) {
        return new ReverseSpec(
                jobId,
                pgmqQueue,
                includeDlq,
                celeryQueue,
                filter,
                limitValue,
                batchValue,
                rateValue,
                follow,
                dryRun,
                consumersStopped);
    }

    public ReverseSpec withDryRun(boolean value) {
        return new ReverseSpec(
                jobId,
                pgmqQueue,
                includeDlq,
                celeryQueue,
                filter,
                limit,
                batchSize,
                rate,
                follow,
                value,
                consumersStopped);
    }

    public ReverseSpec withJobId(String value) {
        return new ReverseSpec(
                value,
                pgmqQueue,
                includeDlq,
                celeryQueue,
                filter,
                limit,
                batchSize,
                rate,
                follow,
                dryRun,
                consumersStopped);
    }

    public ReverseSpec withConsumersStopped(boolean value) {
        return new ReverseSpec(
                jobId, pgmqQueue, includeDlq, celeryQueue, filter, limit, batchSize, rate, follow, dryRun, value);
    }

    String toJson() {
        var o = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        o.put("pgmq_queue", pgmqQueue);
        o.put("include_dlq", includeDlq);
        o.put("celery_queue", celeryQueue);
        o.put("filter", filter.toString());
        o.put("limit", limit);
        o.put("rate", rate);
        o.put("follow", follow);
        o.put("consumers_stopped", consumersStopped);
        return o.toString();
    }
}
