package io.celerypgmq.testkit.celery;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.celerypgmq.config.RedisUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import redis.clients.jedis.Jedis;

/**
 * One running real Celery worker. Its tasks record every execution in a Redis list of the broker database;
 * {@link #awaitExecutions} reads them. {@link #close()} stops it with SIGTERM (warm shutdown), then SIGKILL.
 */
public final class CeleryWorker implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final long POLL_MILLIS = 50;

    private final Process process;
    private final RedisUrl broker;
    private final String recordKey;
    private final Path logFile;
    private final Jedis redis;

    CeleryWorker(Process process, RedisUrl broker, String recordKey, Path logFile) {
        this.process = process;
        this.broker = broker;
        this.recordKey = recordKey;
        this.logFile = logFile;
        this.redis = PythonProcesses.connect(broker);
    }

    void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (synchronizedCall(() -> redis.llen(recordKey + ":ready")) == 0) {
            if (!process.isAlive()) {
                throw failure("the Celery worker exited with " + process.exitValue() + " before it was ready");
            }
            if (Instant.now().isAfter(deadline)) {
                close();
                throw failure("the Celery worker was not ready within " + timeout);
            }
            pause();
        }
    }

    /** Every execution recorded so far, in execution order. */
    public List<Execution> executions() {
        return parse(synchronizedCall(() -> redis.lrange(recordKey, 0, -1)));
    }

    /** Every execution the worker recorded, read after {@link #close()} (which closes the usual connection). */
    public List<Execution> executionsAfterStop() {
        try (Jedis fresh = PythonProcesses.connect(broker)) {
            return parse(fresh.lrange(recordKey, 0, -1));
        }
    }

    private static List<Execution> parse(List<String> lines) {
        List<Execution> executions = new ArrayList<>(lines.size());
        for (String line : lines) {
            try {
                executions.add(Execution.fromJson(TypedJson.MAPPER.readTree(line)));
            } catch (JsonProcessingException e) {
                throw new CeleryDriverException("unreadable execution record: " + line, e);
            }
        }
        return executions;
    }

    /** Waits until at least {@code count} executions are recorded; fails with the worker log otherwise. */
    public List<Execution> awaitExecutions(int count, Duration timeout) {
        return awaitExecutions(list -> list.size() >= count, count + " executions", timeout);
    }

    /** Waits until every given task id has been executed at least once. */
    public List<Execution> awaitExecutionsOf(List<String> taskIds, Duration timeout) {
        return awaitExecutions(
                list -> taskIds.stream().allMatch(id -> list.stream().anyMatch(e -> e.id().equals(id))),
                "executions of " + taskIds.size() + " task ids",
                timeout);
    }

    /**
     * Waits up to {@code timeout} for {@code expected} executions and returns what was recorded by then, so each
     * test can name what is missing; fails only if the worker died.
     */
    public List<Execution> collectExecutions(int expected, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<Execution> executions = executions();
            if (executions.size() >= expected || Instant.now().isAfter(deadline)) {
                return executions;
            }
            if (!process.isAlive()) {
                throw failure("the Celery worker died (exit " + process.exitValue() + ") after " + executions.size()
                        + " of " + expected + " executions; last: " + last(executions));
            }
            pause();
        }
    }

    private static List<Execution> last(List<Execution> executions) {
        return executions.subList(Math.max(0, executions.size() - 10), executions.size());
    }

    private List<Execution> awaitExecutions(Predicate<List<Execution>> done, String what, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<Execution> executions = executions();
            if (done.test(executions)) {
                return executions;
            }
            if (!process.isAlive()) {
                throw failure("the Celery worker died (exit " + process.exitValue() + ") while waiting for " + what
                        + "; recorded " + executions.size() + ", last: " + last(executions));
            }
            if (Instant.now().isAfter(deadline)) {
                throw failure(
                        "waited " + timeout + " for " + what + "; recorded " + executions.size() + ": " + executions);
            }
            pause();
        }
    }

    /** The task's {@code celery-task-meta-<id>} result (JSON) in the broker database, if the worker stored one. */
    public Optional<Map<String, Object>> result(String taskId) {
        String json = synchronizedCall(() -> redis.get("celery-task-meta-" + taskId));
        if (json == null) {
            return Optional.empty();
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) TypedJson.decode(TypedJson.MAPPER.readTree(json));
            return Optional.of(result);
        } catch (JsonProcessingException e) {
            throw new CeleryDriverException("unreadable result of " + taskId + ": " + json, e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    /** The worker's log so far (stdout and stderr), for assertion messages. */
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no warm shutdown, reserved messages stay in {@code unacked}. */
    public void kill() {
        process.destroyForcibly();
        waitForExit(STOP_GRACE);
    }

    /** SIGTERM (warm shutdown: reserved messages are restored), then SIGKILL after a grace period. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!waitForExit(STOP_GRACE)) {
                kill();
            }
        }
        synchronized (redis) {
            redis.close();
        }
    }

    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    private CeleryDriverException failure(String message) {
        return new CeleryDriverException(
                message + "\n--- worker log (" + logFile + ") ---\n" + RealCelery.tail(logFile, broker));
    }

    private <T> T synchronizedCall(java.util.function.Supplier<T> call) {
        synchronized (redis) {
            return call.get();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CeleryDriverException("interrupted while waiting for the Celery worker", e);
        }
    }
}
