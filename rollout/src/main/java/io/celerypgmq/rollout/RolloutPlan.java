package io.celerypgmq.rollout;

import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.route.PayloadFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a rollout is asked to do, validated at construction: move one task type through pgmq shares {@code steps}
 * (ascending, ending at 100), holding each for {@code hold} before its gate, after a shadow phase of {@code shadow}
 * (zero: none).
 *
 * @param queue the pgmq queue the task type moves to (its {@code <queue>_dlq} is drained back too on a rollback)
 * @param shadowQueue where shadow copies go during the shadow phase; never {@code queue}, whose messages a rollback
 *     moves back to Celery (shadow copies would run twice)
 * @param celeryQueue where a rollback pushes messages; {@code null}: the Celery queue each message came from
 * @param strict whether a criterion without data fails a gate (the default passes it, as {@code verify} does)
 */
public record RolloutPlan(
        String task,
        List<Integer> steps,
        Duration hold,
        Duration shadow,
        String queue,
        String shadowQueue,
        PayloadFormat format,
        String celeryQueue,
        boolean strict) {
    public static final String DEFAULT_STEPS = "1,5,25,50,100";
    public static final Duration MIN_HOLD = Duration.ofSeconds(1);

    public RolloutPlan {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(hold, "hold");
        shadow = shadow == null ? Duration.ZERO : shadow;
        if (task.isBlank() || task.indexOf('*') >= 0 || task.indexOf('?') >= 0) {
            throw new IllegalArgumentException(
                    "a rollout moves one task type: give its exact name, not '" + task + "'");
        }
        steps = List.copyOf(steps);
        checkSteps(steps);
        if (hold.compareTo(MIN_HOLD) < 0) {
            throw new IllegalArgumentException("--hold must be at least 1s, was " + hold);
        }
        if (shadow.isNegative() || (!shadow.isZero() && shadow.compareTo(MIN_HOLD) < 0)) {
            throw new IllegalArgumentException("--shadow must be at least 1s (or left out), was " + shadow);
        }
        Objects.requireNonNull(queue, "queue");
        QueueName.of(queue);
        QueueName.of(queue + "_dlq");
        if (!shadow.isZero()) {
            Objects.requireNonNull(shadowQueue, "shadowQueue");
            QueueName.of(shadowQueue);
            if (shadowQueue.equals(queue)) {
                throw new IllegalArgumentException("the shadow queue must not be the rollout's queue " + queue
                        + ": a rollback moves that queue's messages back to Celery, and shadow copies would run"
                        + " twice");
            }
        }
        if (celeryQueue != null && celeryQueue.isBlank()) {
            throw new IllegalArgumentException("--celery-queue must not be blank");
        }
    }

    /** {@code 1,5,25,50,100} → the steps; the message names the bad part. */
    public static List<Integer> parseSteps(String text) {
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                out.add(Integer.parseInt(part.trim().replace("%", "").trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--steps: '" + part.trim() + "' is not a whole percentage");
            }
        }
        checkSteps(out);
        return List.copyOf(out);
    }

    private static void checkSteps(List<Integer> steps) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("--steps needs at least one step (100)");
        }
        for (int i = 0; i < steps.size(); i++) {
            int p = steps.get(i);
            if (p < 1 || p > 100) {
                throw new IllegalArgumentException("--steps: " + p + " % is not within 1..100");
            }
            if (i > 0 && p <= steps.get(i - 1)) {
                throw new IllegalArgumentException("--steps must go up: " + p + " % after " + steps.get(i - 1) + " %");
            }
        }
        if (steps.get(steps.size() - 1) != 100) {
            throw new IllegalArgumentException("--steps must end at 100 %, ends at " + steps.get(steps.size() - 1)
                    + " %: a rollout moves the whole task type");
        }
    }

    public boolean shadowFirst() {
        return !shadow.isZero();
    }
}
