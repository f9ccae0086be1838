package io.celerypgmq.bridge.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The status as JSON ({@code /api/status}, {@code celery-pgmq status --json}): the same fields the line shows. */
public final class StatusJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusJson() {}

    public static ObjectNode of(StatusSnapshot s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("generated_at", s.at().toString());
        root.put("census_at", s.censusAt() == null ? null : s.censusAt().toString());
        root.put("census_by", s.censusBy());
        var tasks = root.putArray("tasks");
        for (TaskStatus t : s.tasks()) {
            ObjectNode o = tasks.addObject();
            o.put("task", t.task());
            o.put("state", t.state().kind().label());
            o.put("state_text", t.state().describe());
            o.put("percent", t.state().percent());
            o.put("pgmq_queue", t.route().pgmqQueue());
            if (t.state().redisHolds() >= 0) {
                o.put("redis_holds", t.state().redisHolds());
            } else {
                o.putNull("redis_holds");
            }
            side(o.putObject("celery"), t.celery());
            side(o.putObject("pgmq"), t.pgmq());
            if (t.rollout() == null) {
                o.putNull("rollout");
            } else {
                ObjectNode r = o.putObject("rollout");
                r.put("id", t.rollout().rolloutId());
                r.put("phase", t.rollout().phase());
                r.put("step", t.rollout().step());
                r.put("percent", t.rollout().percent());
                r.put(
                        "next_gate_at",
                        t.rollout().nextGateAt() == null
                                ? null
                                : t.rollout().nextGateAt().toString());
                r.put("next_gate", StatusLine.nextGate(t.rollout().nextGateAt(), s.at()));
            }
            o.put("line", StatusLine.of(t, s.at()));
        }
        var queues = root.putArray("queues");
        for (StatusSnapshot.QueueLag q : s.queues()) {
            ObjectNode o = queues.addObject();
            o.put("side", q.side());
            o.put("queue", q.queue());
            o.put("backlog", q.backlog());
            o.put("lag_seconds", q.lagSeconds());
        }
        return root;
    }

    static String error(String message) {
        return JSON.createObjectNode().put("error", message).toString();
    }

    private static void side(ObjectNode o, TaskStatus.Side side) {
        o.put("rate_per_second", side.ratePerSecond());
        if (side.backlog() >= 0) {
            o.put("backlog", side.backlog());
        } else {
            o.putNull("backlog");
        }
        o.put("lag_seconds", side.lagSeconds());
        o.put("lag_lower_bound", side.lagLowerBound());
    }
}
