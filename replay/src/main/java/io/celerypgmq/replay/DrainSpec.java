package io.celerypgmq.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.route.PayloadFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What a Redis → pgmq drain is asked to do.
 *
 * @param jobId names the job (its checkpoint row and in-flight list); null derives a stable id from the other
 *     fields, so running the same command again resumes the same job
 * @param queues the Celery queues to drain (their priority lists are included)
 * @param defaultQueue pgmq queue for task types whose route names none; null for none
 * @param lists take from the ready lists (and their priority lists)
 * @param unacked take from kombu's {@code unacked} hash what no live worker can still hold
 * @param workersStopped every Celery worker is stopped: every {@code unacked} entry may be taken
 * @param visibilityTimeout Celery's visibility timeout; null uses {@code replay.visibility-timeout-seconds}
 * @param limit stop after this many messages (0: no limit)
 * @param batchSize messages per transaction; 0 uses {@code replay.batch-size}
 * @param rate messages per second at most (0: no limit)
 * @param follow keep draining new arrivals until cancelled
 * @param dryRun only look: change nothing in Redis or Postgres
 */
public record DrainSpec(
        String jobId,
        List<String> queues,
        String defaultQueue,
        PayloadFormat defaultFormat,
        boolean lists,
        boolean unacked,
        boolean workersStopped,
        Duration visibilityTimeout,
        ReplayFilter filter,
        long limit,
        int batchSize,
        int rate,
        boolean follow,
        boolean dryRun) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public DrainSpec {
        queues = List.copyOf(queues);
        Objects.requireNonNull(defaultFormat, "defaultFormat");
        Objects.requireNonNull(filter, "filter");
        if (queues.isEmpty() || queues.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("name at least one Celery queue to drain");
        }
        if (!lists && !unacked) {
            throw new IllegalArgumentException("nothing to drain: both the lists and unacked are excluded");
        }
        if (filter.olderThan() != null && lists) {
            throw new IllegalArgumentException("--older-than needs a timestamp and Celery list messages carry none;"
                    + " use it with --only-unacked (delivery time)");
        }
        if (limit < 0 || batchSize < 0 || rate < 0) {
            throw new IllegalArgumentException("--limit, --batch-size and --rate must not be negative");
        }
        if (follow && dryRun) {
            throw new IllegalArgumentException("--follow and --dry-run do not go together: a dry run only looks once");
        }
        if (defaultQueue != null) {
            QueueName.of(defaultQueue); // a bad name fails here, before anything is taken
        }
        if (jobId != null && !jobId.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("job id must be 1-100 letters, digits, '.', '_' or '-': " + jobId);
        }
    }

    /** A spec draining {@code queues} (lists and dead workers' unacked entries) with every other option defaulted. */
    public static DrainSpec of(List<String> queues, String defaultQueue) {
        return new DrainSpec(
                null,
                queues,
                defaultQueue,
                PayloadFormat.TASK,
                true,
                true,
                false,
                null,
                ReplayFilter.ALL,
                0,
                0,
                0,
                false,
                false);
    }

    /** The job id, derived from what is drained and where to when none was given. */
    public String effectiveJobId() {
        if (jobId != null) {
            return jobId;
        }
        String basis = String.join("\u0000", new TreeSet<>(queues)) + "|" + defaultQueue + "|" + defaultFormat + "|"
                + lists + "|" + unacked + "|" + filter;
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(basis.getBytes(StandardCharsets.UTF_8));
            return "r2p-" + HexFormat.of().formatHex(hash, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String toJson() {
        ObjectNode o = JSON.createObjectNode();
        queues.forEach(o.putArray("queues")::add);
        o.put("default_queue", defaultQueue);
        o.put("default_format", defaultFormat.label());
        o.put("lists", lists);
        o.put("unacked", unacked);
        o.put("workers_stopped", workersStopped);
        o.put("filter", filter.toString());
        o.put("limit", limit);
        o.put("rate", rate);
        o.put("follow", follow);
        return o.toString();
    }

    public DrainSpec withJobId(String value) {
        return new DrainSpec(
                value,
                queues,
                defaultQueue,
                defaultFormat,
                lists,
                unacked,
                workersStopped,
                visibilityTimeout,
                filter,
                limit,
                batchSize,
                rate,
                follow,
                dryRun);
    }

    public DrainSpec withDryRun(boolean value) {
        return new DrainSpec(
                jobId,
                queues,
                defaultQueue,
                defaultFormat,
                lists,
                unacked,
                workersStopped,
                visibilityTimeout,
                filter,
                limit,
                batchSize,
                rate,
                follow,
                value);
    }

    public DrainSpec withWorkersStopped(boolean value) {
        return new DrainSpec(
                jobId,
                queues,
                defaultQueue,
                defaultFormat,
                lists,
                unacked,
                value,
                visibilityTimeout,
                filter,
                limit,
                batchSize,
                rate,
                follow,
                dryRun);
    }

    public DrainSpec withVisibilityTimeout(Duration value) {
        return new DrainSpec(
                jobId,
                queues,
                defaultQueue,
                defaultFormat,
                lists,
                unacked,
                workersStopped,
                value,
                filter,
                limit,
                batchSize,
                rate,
                follow,
                dryRun);
    }

    public DrainSpec withFilter(ReplayFilter value) {
        return new DrainSpec(
                jobId,
                queues,
                defaultQueue,
                defaultFormat,
                lists,
                unacked,
                workersStopped,
                visibilityTimeout,
                value,
                limit,
                batchSize,
                rate,
                follow,
                dryRun);
    }

    public DrainSpec withLimits(long limitValue, int batchValue, int rateValue) {
        return new DrainSpec(
                jobId,
                queues,
                defaultQueue,
                defaultFormat,
                lists,
                unacked,
                workersStopped,
                visibilityTimeout,
                filter,
                limitValue,
                batchValue,
                rateValue,
                follow,
                dryRun);
    }
}
