package io.celerypgmq.bridge.codec;

import java.util.Objects;

/**
 * One reason an outgoing message would crash, confuse or be dropped by a Celery 5.2 worker (CELERY-WIRE.md §10–11).
 *
 * @param kind what is wrong
 * @param detail the offending value or field, for the operator
 * @param messageIndex position in the batch, or -1 when a single message was checked
 */
public record ValidationProblem(Kind kind, String detail, int messageIndex) {
    public enum Kind {
        ENVELOPE_NOT_JSON,
        ENVELOPE_NOT_OBJECT,
        MISSING_PROPERTIES,
        MISSING_DELIVERY_TAG,
        DUPLICATE_DELIVERY_TAG,
        MISSING_DELIVERY_INFO,
        MISSING_EXCHANGE,
        MISSING_ROUTING_KEY,
        MISSING_CONTENT_TYPE,
        UNKNOWN_CONTENT_TYPE,
        MISSING_BODY,
        BODY_ENCODING_NOT_BASE64,
        BAD_BASE64,
        UNDECODABLE_BODY,
        MISSING_TASK,
        MISSING_ID,
        BODY_NOT_THREE_ELEMENTS,
        ARGS_NOT_LIST,
        KWARGS_NOT_MAPPING,
        EMBED_NOT_MAPPING,
        BAD_ETA,
        BAD_EXPIRES,
        NAIVE_ETA,
        BAD_HEADER
    }

    public ValidationProblem {
        Objects.requireNonNull(kind, "kind");
        detail = detail == null ? "" : detail;
    }

    ValidationProblem at(int index) {
        return new ValidationProblem(kind, detail, index);
    }

    @Override
    public String toString() {
        return (messageIndex >= 0 ? "#" + messageIndex + " " : "") + kind + (detail.isEmpty() ? "" : ": " + detail);
    }
}
