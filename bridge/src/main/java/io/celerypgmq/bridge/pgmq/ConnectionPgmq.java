package io.celerypgmq.bridge.pgmq;

import io.celerypgmq.bridge.store.SqlArrays;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The pgmq API on one connection the caller owns: never commits, rolls back or closes it. */
final class ConnectionPgmq implements PgmqOperations {
    private static final String NO_CONDITION = "{}";

    private final Connection connection;

    ConnectionPgmq(Connection connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    @Override
    public void create(QueueName queue) {
        call(PgmqCall.CREATE, queue, s -> s.setString(1, queue.value()), rs -> null);
    }

    @Override
    public void createUnlogged(QueueName queue) {
        call(PgmqCall.CREATE_UNLOGGED, queue, s -> s.setString(1, queue.value()), rs -> null);
    }

    @Override
    public boolean dropQueue(QueueName queue) {
        return call(PgmqCall.DROP_QUEUE, queue, s -> s.setString(1, queue.value()), Rows::firstBoolean);
    }

    @Override
    public long purgeQueue(QueueName queue) {
        return call(PgmqCall.PURGE_QUEUE, queue, s -> s.setString(1, queue.value()), rs -> Rows.longs(rs)
                .get(0));
    }

    @Override
    public List<QueueInfo> listQueues() {
        return call(PgmqCall.LIST_QUEUES, null, s -> {}, Rows::queues);
    }

    @Override
    public QueueMetrics metrics(QueueName queue) {
        return call(PgmqCall.METRICS, queue, s -> s.setString(1, queue.value()), rs -> Rows.metrics(rs)
                .get(0));
    }

    @Override
    public List<QueueMetrics> metricsAll() {
        return call(PgmqCall.METRICS_ALL, null, s -> {}, Rows::metrics);
    }

    @Override
    public long send(QueueName queue, String message, String headers, Delay delay) {
        PgmqCall call = SendVariant.single(headers != null, delay);
        return call(
                call,
                queue,
                s -> {
                    s.setString(1, queue.value());
                    s.setString(2, message);
                    bindHeadersAndDelay(s, 3, headers, delay);
                },
                rs -> Rows.longs(rs).get(0));
    }

    @Override
    public List<Long> sendBatch(QueueName queue, List<String> messages, List<String> headers, Delay delay) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("send_batch to '" + queue + "' needs at least one message");
        }
        if (headers != null && headers.size() != messages.size()) {
            throw new IllegalArgumentException("send_batch to '" + queue + "': " + headers.size() + " headers for "
                    + messages.size() + " messages");
        }
        PgmqCall call = SendVariant.batch(headers != null, delay);
        return call(
                call,
                queue,
                s -> {
                    s.setString(1, queue.value());
                    SqlArrays.text(s, 2, messages);
                    bindHeadersAndDelay(s, 3, headers == null ? null : headers.toArray(String[]::new), delay);
                },
                Rows::longs);
    }

    @Override
    public List<PgmqMessage> read(QueueName queue, int vtSeconds, int qty, String conditional) {
        return call(
                PgmqCall.READ,
                queue,
                s -> {
                    s.setString(1, queue.value());
                    s.setInt(2, vtSeconds);
                    s.setInt(3, qty);
                    s.setString(4, conditional == null ? NO_CONDITION : conditional);
                },
                Rows::messages);
    }

    @Override
    public List<PgmqMessage> readWithPoll(
            QueueName queue, int vtSeconds, int qty, Duration maxPoll, Duration pollInterval, String conditional) {
        return call(
                PgmqCall.READ_WITH_POLL,
                queue,
                s -> {
                    s.setString(1, queue.value());
                    s.setInt(2, vtSeconds);
                    s.setInt(3, qty);
                    s.setInt(4, Math.toIntExact(maxPoll.toSeconds()));
                    s.setInt(5, Math.toIntExact(pollInterval.toMillis()));
                    s.setString(6, conditional == null ? NO_CONDITION : conditional);
                },
                Rows::messages);
    }

    @Override
    public List<PgmqMessage> pop(QueueName queue, int qty) {
        // The one-argument form exists on every pgmq; the qty form only from 1.7.
        if (qty == 1) {
            return call(PgmqCall.POP, queue, s -> s.setString(1, queue.value()), Rows::messages);
        }
        return call(
                PgmqCall.POP_MANY,
                queue,
                s -> {
                    s.setString(1, queue.value());
                    s.setInt(2, qty);
                },
                Rows::messages);
    }

    @Override
    public boolean archive(QueueName queue, long msgId) {
        return call(PgmqCall.ARCHIVE, queue, idBinder(queue, msgId), Rows::firstBoolean);
    }

    @Override
    public List<Long> archive(QueueName queue, List<Long> msgIds) {
        return call(PgmqCall.ARCHIVE_MANY, queue, idsBinder(queue, msgIds), Rows::sortedLongs);
    }

    @Override
    public boolean delete(QueueName queue, long msgId) {
        return call(PgmqCall.DELETE, queue, idBinder(queue, msgId), Rows::firstBoolean);
    }

    @Override
    public List<Long> delete(QueueName queue, List<Long> msgIds) {
        return call(PgmqCall.DELETE_MANY, queue, idsBinder(queue, msgIds), Rows::sortedLongs);
    }

    @Override
    public Optional<PgmqMessage> setVt(QueueName queue, long msgId, int vtSeconds) {
        return call(PgmqCall.SET_VT, queue, idBinder(queue, msgId).then(s -> s.setInt(3, vtSeconds)), Rows::first);
    }

    @Override
    public Optional<PgmqMessage> setVt(QueueName queue, long msgId, Instant vt) {
        return call(
                PgmqCall.SET_VT_AT,
                queue,
                idBinder(queue, msgId).then(s -> s.setObject(3, timestamp(vt))),
                Rows::first);
    }

    @Override
    public List<PgmqMessage> setVt(QueueName queue, List<Long> msgIds, int vtSeconds) {
        return call(
                PgmqCall.SET_VT_MANY,
                queue,
                idsBinder(queue, msgIds).then(s -> s.setInt(3, vtSeconds)),
                Rows::messages);
    }

    @Override
    public List<PgmqMessage> setVt(QueueName queue, List<Long> msgIds, Instant vt) {
        return call(
                PgmqCall.SET_VT_MANY_AT,
                queue,
                idsBinder(queue, msgIds).then(s -> s.setObject(3, timestamp(vt))),
                Rows::messages);
    }

    private <T> T call(PgmqCall call, QueueName queue, Binder binder, Reader<T> reader) {
        try (PreparedStatement statement = connection.prepareStatement(call.sql())) {
            binder.bind(statement);
            try (ResultSet rs = statement.executeQuery()) {
                return reader.read(rs);
            }
        } catch (SQLException e) {
            throw Failures.wrap(e, call, queue);
        }
    }

    private void bindHeadersAndDelay(PreparedStatement s, int index, Object headers, Delay delay) throws SQLException {
        int next = index;
        if (headers != null) {
            s.setObject(next++, headers);
        }
        if (delay instanceof Delay.Seconds seconds) {
            s.setInt(next, seconds.seconds());
        } else if (delay instanceof Delay.Until until) {
            s.setObject(next, timestamp(until.instant()));
        }
    }

    private Binder idBinder(QueueName queue, long msgId) {
        return s -> {
            s.setString(1, queue.value());
            s.setLong(2, msgId);
        };
    }

    private Binder idsBinder(QueueName queue, List<Long> msgIds) {
        return s -> {
            s.setString(1, queue.value());
            SqlArrays.bigint(s, 2, msgIds.stream().mapToLong(Long::longValue).toArray());
        };
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(Objects.requireNonNull(instant, "instant"), ZoneOffset.UTC);
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;

        default Binder then(Binder next) {
            return s -> {
                bind(s);
                next.bind(s);
            };
        }
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }
}
