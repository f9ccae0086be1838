package io.celerypgmq.rollout;

/** A rollout asked to move where its transition table does not lead; names both states and what is possible. */
public final class IllegalRolloutTransitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final RolloutState from;
    private final RolloutState to;

    public IllegalRolloutTransitionException(long rolloutId, RolloutState from, RolloutState to) {
        this(
                rolloutId,
                from,
                to,
                from.finished()
                        ? "it is finished; start a new rollout"
                        : "from " + from.words() + " it can go to " + possible(from));
    }

    public IllegalRolloutTransitionException(long rolloutId, RolloutState from, RolloutState to, String why) {
        super("rollout #" + rolloutId + " cannot go from " + from.words() + " to " + to.words() + ": " + why);
        this.from = from;
        this.to = to;
    }

    private static String possible(RolloutState from) {
        StringBuilder s = new StringBuilder();
        for (RolloutState next : RolloutState.values()) {
            if (RolloutTransitions.allowed(from, next)) {
                s.append(s.isEmpty() ? "" : ", ").append(next.words());
            }
        }
        return s.toString();
    }

    public RolloutState from() {
        return from;
    }

    public RolloutState to() {
        return to;
    }
}
