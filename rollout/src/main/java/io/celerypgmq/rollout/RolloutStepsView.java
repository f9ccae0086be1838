package io.celerypgmq.rollout;

import io.celerypgmq.bridge.status.RolloutSteps;
import java.util.LinkedHashMap;
import java.util.Map;

/** The running rollouts as the status shows them (one per task type), read from the rollout tables. */
public final class RolloutStepsView implements RolloutSteps {
    private final RolloutQueries rollouts;

    public RolloutStepsView(RolloutQueries rollouts) {
        this.rollouts = rollouts;
    }

    @Override
    public Map<String, Step> current() {
        Map<String, Step> out = new LinkedHashMap<>();
        for (Rollout r : rollouts.running()) {
            out.put(r.plan().task(), step(r));
        }
        return out;
    }

    static Step step(Rollout r) {
        return new Step(r.id(), r.plan().task(), r.state().words(), r.stepText(), r.percent(), r.gateAt());
    }
}
