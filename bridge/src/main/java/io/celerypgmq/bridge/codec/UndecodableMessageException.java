package io.celerypgmq.bridge.codec;

import java.util.Objects;

/**
 * A message read from Redis cannot be turned into a {@link CeleryMessage}. It names where the message came from, its
 * identity when one could be worked out, and a precise {@link Reason}, so the caller can quarantine the raw bytes and
 * keep going. It is the only exception {@link CeleryCodec#decode} lets escape.
 */
public final class UndecodableMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a message could not be decoded; the names are stable and end up in the quarantine table. */
    public enum Reason {
        /** The Redis element is not JSON at all (a 5.2 worker exits on it). */
        BAD_ENVELOPE_JSON,
        /** The element is JSON but not an object (a 5.2 worker exits on it). */
        ENVELOPE_NOT_OBJECT,
        /** A field the message cannot do without is absent or null: body, content-type, task, id. */
        MISSING_FIELD,
        /** A field has the wrong JSON type, for example a body that is not a string. */
        BAD_FIELD_TYPE,
        /** {@code body_encoding} is base64 but the body is not valid base64 (a 5.2 worker exits on it). */
        BAD_BASE64,
        /** {@code body_encoding} is neither base64 nor a raw-text marker. */
        UNKNOWN_BODY_ENCODING,
        /** The content-type names no serializer kombu knows. */
        UNKNOWN_CONTENT_TYPE,
        /** {@code headers.compression} names no codec. */
        UNKNOWN_COMPRESSION,
        /** The body does not decompress with the codec named in {@code headers.compression}. */
        BAD_COMPRESSED_DATA,
        /** The serializer rejects the body bytes. */
        BAD_BODY,
        /** The body deserializes but is not a Celery task: not {@code [args, kwargs, embed]} nor a protocol 1 dict. */
        BAD_BODY_SHAPE,
        /** A header Celery parses is unusable, for example an eta that is not an ISO 8601 date. */
        BAD_HEADER_VALUE,
        /** A pickle body refers to a class the pickle policy refuses. */
        PICKLE_CLASS_REFUSED,
        /** The message, or its decompressed body, is larger than the configured limit. */
        TOO_LARGE
    }

    private final String sourceKey;
    private final String identity;
    private final Reason reason;
    private final String detail;

    public UndecodableMessageException(String sourceKey, String identity, Reason reason, String detail) {
        this(sourceKey, identity, reason, detail, null);
    }

    public UndecodableMessageException(
            String sourceKey, String identity, Reason reason, String detail, Throwable cause) {
        super(describe(sourceKey, identity, reason, detail), cause);
        this.sourceKey = sourceKey;
        this.identity = identity;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.detail = detail == null ? "" : detail;
    }

    private static String describe(String sourceKey, String identity, Reason reason, String detail) {
        return "undecodable message from " + Printable.key(sourceKey)
                + (identity == null ? "" : " (" + identity + ")")
                + ": " + reason + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    }

    /** The Redis key the message was read from, as given to the codec; may be null. */
    public String sourceKey() {
        return sourceKey;
    }

    /** The delivery tag, or {@code sha256:<hex>} of the raw bytes; null when not even that was computed. */
    public String identity() {
        return identity;
    }

    public Reason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }

    /** The same failure with the identity filled in, once it is known. */
    UndecodableMessageException withIdentity(String knownIdentity) {
        if (Objects.equals(identity, knownIdentity)) {
            return this;
        }
        UndecodableMessageException copy =
                new UndecodableMessageException(sourceKey, knownIdentity, reason, detail, getCause());
        copy.setStackTrace(getStackTrace());
        return copy;
    }
}
