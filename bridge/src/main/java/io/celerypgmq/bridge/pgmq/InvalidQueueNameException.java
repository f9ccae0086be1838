package io.celerypgmq.bridge.pgmq;

/** A queue name pgmq would refuse, or one that would collide with another queue's tables. */
public final class InvalidQueueNameException extends IllegalArgumentException {
    private final String queueName;
    private final String reason;

    public InvalidQueueNameException(String queueName, String reason) {
        super("invalid pgmq queue name '" + queueName + "': " + reason);
        this.queueName = queueName;
        this.reason = reason;
    }

    /** The name as it was given, before normalisation; may be {@code null}. */
    public String queueName() {
        return queueName;
    }

    public String reason() {
        return reason;
    }
}
