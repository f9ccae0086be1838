package io.celerypgmq.bridge.pgmq;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The pgmq SQL API. {@link PgmqClient} runs each call on a pooled connection in its own transaction; {@link
 * PgmqClient#in(java.sql.Connection)} runs them on the caller's connection, inside the caller's transaction.
 *
 * <p>Messages and headers are JSON text (sent as {@code jsonb}). Every call maps to one pgmq function overload; the
 * {@code since} notes name the pgmq version that added it (everything else exists in 1.5, the oldest supported).
 *
 * @throws QueueNotFoundException (from any queue call) when the queue does not exist
 * @throws PgmqVersionException when this pgmq lacks the overload
 * @throws PgmqException for any other failure
 */
public interface PgmqOperations {

    /** {@code create}: idempotent. */
    void create(QueueName queue);

    /** {@code create_unlogged}: the queue table is UNLOGGED (lost on crash), the archive is not. */
    void createUnlogged(QueueName queue);

    /**
     * {@code drop_queue}: drops both tables; {@code false} when the queue did not exist. On a caller's connection,
     * pgmq before 1.6 raises {@link QueueNotFoundException} instead (and so aborts the caller's transaction).
     */
    boolean dropQueue(QueueName queue);

    /** {@code purge_queue}: removes every message (not the archive) and returns how many there were. */
    long purgeQueue(QueueName queue);

    List<QueueInfo> listQueues();

    QueueMetrics metrics(QueueName queue);

    List<QueueMetrics> metricsAll();

    /**
     * {@code send}: one message, with optional headers (JSON object text or {@code null}) and delay; returns its id.
     * Chooses the exact pgmq overload: no headers and {@link Delay#none()} call {@code send(queue, msg)}.
     */
    long send(QueueName queue, String message, String headers, Delay delay);

    /**
     * {@code send_batch}: one INSERT for all messages; ids come back in the order of {@code messages}.
     *
     * @param headers {@code null}, or one entry (possibly {@code null}) per message
     * @throws IllegalArgumentException when {@code messages} is empty or {@code headers} has another size
     */
    List<Long> sendBatch(QueueName queue, List<String> messages, List<String> headers, Delay delay);

    /**
     * {@code read}: up to {@code qty} visible messages, hidden for {@code vtSeconds} and their {@code read_ct}
     * incremented; sorted by id.
     *
     * @param conditional a JSON object the message must contain ({@code @>}), or {@code null} for none
     */
    List<PgmqMessage> read(QueueName queue, int vtSeconds, int qty, String conditional);

    /** {@code read_with_poll}: like read, but waits up to {@code maxPoll} for a message; holds the connection. */
    List<PgmqMessage> readWithPoll(
            QueueName queue, int vtSeconds, int qty, Duration maxPoll, Duration pollInterval, String conditional);

    /** {@code pop}: takes and deletes up to {@code qty} visible messages; read_ct unchanged (qty > 1: pgmq 1.7+). */
    List<PgmqMessage> pop(QueueName queue, int qty);

    /** {@code archive}: moves the message (visible or not) to the archive table; {@code false} if absent. */
    boolean archive(QueueName queue, long msgId);

    /** {@code archive} for many; returns the ids actually archived, sorted. */
    List<Long> archive(QueueName queue, List<Long> msgIds);

    /** {@code delete}: {@code false} if absent. */
    boolean delete(QueueName queue, long msgId);

    /** {@code delete} for many; returns the ids actually deleted, sorted. */
    List<Long> delete(QueueName queue, List<Long> msgIds);

    /** {@code set_vt}: visible again {@code vtSeconds} from now; empty when the id is unknown. */
    Optional<PgmqMessage> setVt(QueueName queue, long msgId, int vtSeconds);

    /** {@code set_vt} with an absolute time (pgmq 1.10+). */
    Optional<PgmqMessage> setVt(QueueName queue, long msgId, Instant vt);

    /** {@code set_vt} for many (pgmq 1.8+); returns the rows that exist, sorted by id. */
    List<PgmqMessage> setVt(QueueName queue, List<Long> msgIds, int vtSeconds);

    /** {@code set_vt} for many with an absolute time (pgmq 1.10+). */
    List<PgmqMessage> setVt(QueueName queue, List<Long> msgIds, Instant vt);

    // Shorthands, one per pgmq overload.

    default long send(QueueName queue, String message) {
        return send(queue, message, null, Delay.none());
    }

    default long send(QueueName queue, String message, String headers) {
        return send(queue, message, headers, Delay.none());
    }

    default long send(QueueName queue, String message, Delay delay) {
        return send(queue, message, null, delay);
    }

    default List<Long> sendBatch(QueueName queue, List<String> messages) {
        return sendBatch(queue, messages, null, Delay.none());
    }

    default List<Long> sendBatch(QueueName queue, List<String> messages, List<String> headers) {
        return sendBatch(queue, messages, headers, Delay.none());
    }

    default List<Long> sendBatch(QueueName queue, List<String> messages, Delay delay) {
        return sendBatch(queue, messages, null, delay);
    }

    default List<PgmqMessage> read(QueueName queue, int vtSeconds, int qty) {
        return read(queue, vtSeconds, qty, null);
    }

    default List<PgmqMessage> readWithPoll(QueueName queue, int vtSeconds, int qty, Duration maxPoll) {
        return readWithPoll(queue, vtSeconds, qty, maxPoll, Duration.ofMillis(100), null);
    }

    default Optional<PgmqMessage> pop(QueueName queue) {
        return pop(queue, 1).stream().findFirst();
    }
}
