package io.celerypgmq.bridge.codec.internal;

import io.celerypgmq.bridge.codec.UndecodableMessageException.Reason;

/** A body-level failure; the codec adds the source key and identity and rethrows it as undecodable. */
public final class BodyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public BodyException(Reason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public BodyException(Reason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
