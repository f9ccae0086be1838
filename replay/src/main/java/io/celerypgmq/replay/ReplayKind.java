package io.celerypgmq.replay;

/** The move tasks replay runs; the label is the subcommand name and the job table's {@code kind}. */
public enum ReplayKind {
    REDIS_TO_PGMQ("redis-to-pgmq"),
    PGMQ_TO_REDIS("pgmq-to-redis"),
    REDRIVE("redrive"),
    SNAPSHOT("snapshot"),
    RESTORE("restore");

    private final String label;

    ReplayKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
