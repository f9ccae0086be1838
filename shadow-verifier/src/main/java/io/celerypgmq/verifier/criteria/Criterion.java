package io.celerypgmq.verifier.criteria;

/** The success criteria of a migration (the seeds' checklist), each judged per task type. */
public enum Criterion {
    ZERO_LOSS("zero loss"),
    DLQ_RATE("DLQ rate"),
    CONSUMER_UPTIME("consumer uptime"),
    QUEUE_WAIT_P95("p95 queue wait"),
    SHADOW_AGREEMENT("shadow agreement");

    private final String label;

    Criterion(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** {@code zero_loss}, for metric tags and JSON. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
