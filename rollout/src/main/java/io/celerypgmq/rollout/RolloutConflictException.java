package io.celerypgmq.rollout;

/** A task type already has a running rollout; only one at a time may move it. */
public final class RolloutConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RolloutConflictException(String task, Rollout running) {
        super("rollout #" + running.id() + " of " + task + " is already "
                + running.state().words() + " (step " + running.stepText()
                + "); wait for it, or stop it with: celery-pgmq rollout abort " + running.id());
    }
}
