package io.celerypgmq.bridge.pgmq;

/** Picks the pgmq overload of send/send_batch that matches what the caller supplied. */
final class SendVariant {
    private SendVariant() {}

    static PgmqCall single(boolean headers, Delay delay) {
        if (delay instanceof Delay.Seconds) {
            return headers ? PgmqCall.SEND_HEADERS_DELAY : PgmqCall.SEND_DELAY;
        }
        if (delay instanceof Delay.Until) {
            return headers ? PgmqCall.SEND_HEADERS_AT : PgmqCall.SEND_AT;
        }
        return headers ? PgmqCall.SEND_HEADERS : PgmqCall.SEND;
    }

    static PgmqCall batch(boolean headers, Delay delay) {
        if (delay instanceof Delay.Seconds) {
            return headers ? PgmqCall.SEND_BATCH_HEADERS_DELAY : PgmqCall.SEND_BATCH_DELAY;
        }
        if (delay instanceof Delay.Until) {
            return headers ? PgmqCall.SEND_BATCH_HEADERS_AT : PgmqCall.SEND_BATCH_AT;
        }
        return headers ? PgmqCall.SEND_BATCH_HEADERS : PgmqCall.SEND_BATCH;
    }
}
