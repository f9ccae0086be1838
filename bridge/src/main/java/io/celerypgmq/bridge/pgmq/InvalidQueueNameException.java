package io.celerypgmq.bridge.pgmq;

/** A queue name pgmq would refuse, or one that would collide with another queue's tables. */
public final class InvalidQueueNameException extends IllegalArgumentException {
    private final String queueName;
    private final String reason;

    public InvalidQueueNameException(String queueName, String reason) {
        super("invalid pgmq queue name '" + printable(queueName) + "': " + reason + "; " + QueueName.RULE);
        this.queueName = queueName;
        this.reason = reason;
    }

    /** Control characters written as escapes, so the message stays one line whatever the name held. */
    private static String printable(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        name.chars().forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : (char) c));
        return out.toString();
    }

    /** The name as it was given, before normalisation; may be {@code null}. */
    public String queueName() {
        return queueName;
    }

    public String reason() {
        return reason;
    }
}
