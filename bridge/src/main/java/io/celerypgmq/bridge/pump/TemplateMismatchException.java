package io.celerypgmq.bridge.pump;

/** A message does not fit its task's payload template; it is quarantined rather than sent with arguments missing. */
public final class TemplateMismatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TemplateMismatchException(String taskName, String reason) {
        super("template for " + taskName + ": " + reason);
    }
}
