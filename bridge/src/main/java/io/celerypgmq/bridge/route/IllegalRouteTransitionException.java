package io.celerypgmq.bridge.route;

/** A route change that the migration's safety rules forbid; names both states and the way forward. */
public final class IllegalRouteTransitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Route from;
    private final Route to;

    public IllegalRouteTransitionException(Route from, Route to, String why) {
        super("cannot change " + to.taskPattern() + " from " + from.describeMode() + " to " + to.describeMode() + ": "
                + why);
        this.from = from;
        this.to = to;
    }

    public Route from() {
        return from;
    }

    public Route to() {
        return to;
    }
}
