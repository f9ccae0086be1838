package io.celerypgmq.replay;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * A drain found task types that have no pgmq destination: their route names no queue and no {@code --queue} was
 * given. Nothing was moved; the message lists them with how many messages each has.
 */
public final class NoDestinationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Map<String, Long> taskTypes;

    public NoDestinationException(Map<String, Long> taskTypes) {
        super("no pgmq destination for " + taskTypes.size() + " task type(s): "
                + taskTypes.entrySet().stream()
                        .map(e -> e.getKey() + " (" + e.getValue() + " messages)")
                        .collect(Collectors.joining(", "))
                + ". Pass --queue QUEUE to send them there, give them a route (celery-pgmq route set TASK shadow|pgmq"
                + " --queue QUEUE), or leave them out with --task");
        this.taskTypes = Map.copyOf(taskTypes);
    }

    public Map<String, Long> taskTypes() {
        return taskTypes;
    }
}
