package io.celerypgmq.bridge.route;

/**
 * What the bridge does with one message.
 *
 * @param route the route that matched
 * @param toCelery whether the message goes to its Celery list
 * @param toPgmq whether a copy (shadow) or the message itself (pgmq) goes to {@code route.pgmqQueue()}
 */
public record RoutingDecision(Route route, boolean toCelery, boolean toPgmq) {

    public RoutingDecision {
        if (!toCelery && !toPgmq) {
            throw new IllegalArgumentException("a message must go somewhere");
        }
    }

    public boolean isShadowCopy() {
        return toCelery && toPgmq;
    }
}
