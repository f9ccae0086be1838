package io.celerypgmq.rollout.lease;

/** The driver no longer holds the rollout lease at its epoch: another instance took over, so it must not act. */
public final class LeaseLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LeaseLostException(Fence fence) {
        super("the rollout lease is no longer held by " + fence + "; another instance drives rollouts now");
    }
}
