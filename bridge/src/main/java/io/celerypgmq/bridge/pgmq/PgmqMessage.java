package io.celerypgmq.bridge.pgmq;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of a pgmq queue as {@code read}, {@code pop} and {@code set_vt} return it.
 *
 * @param lastReadAt {@code null} until first read, and always on pgmq older than 1.10 (no such column)
 * @param message the JSON text of the message, or {@code null} for a SQL NULL message
 * @param headers the JSON text of the headers, or {@code null}
 */
public record PgmqMessage(
        long msgId, int readCt, Instant enqueuedAt, Instant lastReadAt, Instant vt, String message, String headers) {

    public PgmqMessage {
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
        Objects.requireNonNull(vt, "vt");
    }

    @Override
    public String toString() {
        return "PgmqMessage[msgId=" + msgId + ", readCt=" + readCt + ", vt=" + vt + ", "
                + (message == null ? 0 : message.length()) + " chars]";
    }
}
