package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Where a way-back walk delivers the rows it takes: back to Celery ({@link CeleryDelivery}), or to another pgmq queue
 * (a redrive). The walk owns the transaction and the pipelining; a delivery only prepares (on the walk's thread, no
 * writes) and writes inside the batch's transaction.
 */
public interface Delivery {
    /** Whether the walk must read every row's message (else it may leave it out where the ledger kept a copy). */
    default boolean everyMessage() {
        return true;
    }

    /**
     * Prepares {@code rows} of {@code queue}: whatever needs no store (rebuilding Celery bytes, say).
     *
     * @param envelopes the envelope copies the ledger keeps for {@code rows}, by identity
     */
    Prepared prepare(QueueName queue, List<PgmqMessage> rows, Map<String, byte[]> envelopes);

    /** A prepared batch. */
    interface Prepared {
        int size();

        /**
         * Delivers, quarantines what cannot go, and archives every row of the batch, in {@code tx}; the commit follows
         * only if this returns. A failure leaves the rows as they were.
         */
        ReverseOutcome deliver(Connection tx) throws SQLException;

        /** What {@link #deliver} would do, with nothing written (a dry run). */
        ReverseOutcome preview();
    }
}
