package io.celerypgmq.bridge.pgmq;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The pgmq client. Each call borrows a connection from the caller's pool and commits on its own; use {@link
 * #in(Connection)} to run calls inside a transaction the caller controls (e.g. a ledger INSERT and {@code send_batch}
 * that must commit together).
 */
public final class PgmqClient implements PgmqOperations {
    private final DataSource dataSource;

    public PgmqClient(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * The same API on {@code connection}: nothing is committed, rolled back or closed, so every call joins whatever
     * transaction the caller has open on it.
     */
    public PgmqOperations in(Connection connection) {
        return new ConnectionPgmq(connection);
    }

    @Override
    public void create(QueueName queue) {
        run("create", queue, p -> {
            p.create(queue);
            return null;
        });
    }

    @Override
    public void createUnlogged(QueueName queue) {
        run("create_unlogged", queue, p -> {
            p.createUnlogged(queue);
            return null;
        });
    }

    /** Also {@code false} for a missing queue on pgmq before 1.6, which raises instead of answering false. */
    @Override
    public boolean dropQueue(QueueName queue) {
        try {
            return run("drop_queue", queue, p -> p.dropQueue(queue));
        } catch (QueueNotFoundException e) {
            return false;
        }
    }

    @Override
    public long purgeQueue(QueueName queue) {
        return run("purge_queue", queue, p -> p.purgeQueue(queue));
    }

    @Override
    public List<QueueInfo> listQueues() {
        return run("list_queues", null, PgmqOperations::listQueues);
    }

    @Override
    public QueueMetrics metrics(QueueName queue) {
        return run("metrics", queue, p -> p.metrics(queue));
    }

    @Override
    public List<QueueMetrics> metricsAll() {
        return run("metrics_all", null, PgmqOperations::metricsAll);
    }

    @Override
    public long send(QueueName queue, String message, String headers, Delay delay) {
        return run("send", queue, p -> p.send(queue, message, headers, delay));
    }

    @Override
    public List<Long> sendBatch(QueueName queue, List<String> messages, List<String> headers, Delay delay) {
        return run("send_batch", queue, p -> p.sendBatch(queue, messages, headers, delay));
    }

    @Override
    public List<PgmqMessage> read(QueueName queue, int vtSeconds, int qty, String conditional) {
        return run("read", queue, p -> p.read(queue, vtSeconds, qty, conditional));
    }

    @Override
    public List<PgmqMessage> readWithPoll(
            QueueName queue, int vtSeconds, int qty, Duration maxPoll, Duration pollInterval, String conditional) {
        return run(
                "read_with_poll",
                queue,
                p -> p.readWithPoll(queue, vtSeconds, qty, maxPoll, pollInterval, conditional));
    }

    @Override
    public List<PgmqMessage> pop(QueueName queue, int qty) {
        return run("pop", queue, p -> p.pop(queue, qty));
    }

    @Override
    public boolean archive(QueueName queue, long msgId) {
        return run("archive", queue, p -> p.archive(queue, msgId));
    }

    @Override
    public List<Long> archive(QueueName queue, List<Long> msgIds) {
        return run("archive", queue, p -> p.archive(queue, msgIds));
    }

    @Override
    public boolean delete(QueueName queue, long msgId) {
        return run("delete", queue, p -> p.delete(queue, msgId));
    }

    @Override
    public List<Long> delete(QueueName queue, List<Long> msgIds) {
        return run("delete", queue, p -> p.delete(queue, msgIds));
    }

    @Override
    public Optional<PgmqMessage> setVt(QueueName queue, long msgId, int vtSeconds) {
        return run("set_vt", queue, p -> p.setVt(queue, msgId, vtSeconds));
    }

    @Override
    public Optional<PgmqMessage> setVt(QueueName queue, long msgId, Instant vt) {
        return run("set_vt", queue, p -> p.setVt(queue, msgId, vt));
    }

    @Override
    public List<PgmqMessage> setVt(QueueName queue, List<Long> msgIds, int vtSeconds) {
        return run("set_vt", queue, p -> p.setVt(queue, msgIds, vtSeconds));
    }

    @Override
    public List<PgmqMessage> setVt(QueueName queue, List<Long> msgIds, Instant vt) {
        return run("set_vt", queue, p -> p.setVt(queue, msgIds, vt));
    }

    /** Runs one call in its own transaction, whatever auto-commit mode the pool hands out. */
    private <T> T run(String operation, QueueName queue, Function<PgmqOperations, T> call) {
        try (Connection connection = dataSource.getConnection()) {
            if (connection.getAutoCommit()) {
                return call.apply(new ConnectionPgmq(connection));
            }
            try {
                T result = call.apply(new ConnectionPgmq(connection));
                connection.commit();
                return result;
            } catch (RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw Failures.wrap(e, operation, queue);
        }
    }

    private static void rollback(Connection connection, RuntimeException failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
