package io.celerypgmq.rollout;

import io.celerypgmq.testkit.celery.Execution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Every published task, by id: how often it ran on Celery and on pgmq. Each must have run exactly once. */
record Reconciliation(List<String> published, Map<String, Integer> onCelery, Map<String, Integer> onPgmq) {

    static Reconciliation of(List<String> published, List<Execution> executions, Map<String, AtomicInteger> pgmq) {
        Map<String, Integer> celery = new HashMap<>();
        executions.forEach(e -> celery.merge(e.id(), 1, Integer::sum));
        Map<String, Integer> ranOnPgmq = new HashMap<>();
        pgmq.forEach((id, n) -> ranOnPgmq.put(id, n.get()));
        return new Reconciliation(published, celery, ranOnPgmq);
    }

    /** The published tasks that ran never, or more than once, with where. */
    List<String> problems() {
        List<String> out = new ArrayList<>();
        for (String id : published) {
            int c = onCelery.getOrDefault(id, 0);
            int p = onPgmq.getOrDefault(id, 0);
            if (c + p != 1) {
                out.add(id + ": ran " + c + "× on Celery, " + p + "× on pgmq");
            }
        }
        return out;
    }

    boolean allRan() {
        return published.stream().allMatch(id -> onCelery.containsKey(id) || onPgmq.containsKey(id));
    }

    long ranOnPgmq() {
        return published.stream().filter(onPgmq::containsKey).count();
    }

    long ranOnCelery() {
        return published.stream().filter(onCelery::containsKey).count();
    }
}
