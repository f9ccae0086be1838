package io.celerypgmq.rollout;

import io.celerypgmq.config.Secrets;
import io.celerypgmq.rollout.gate.BreachRules;
import io.celerypgmq.rollout.gate.GateJudge;
import io.celerypgmq.rollout.gate.GateOutcome;
import io.celerypgmq.rollout.gate.StepReading;
import io.celerypgmq.rollout.gate.StepReadings;
import io.celerypgmq.rollout.lease.Fence;
import io.celerypgmq.rollout.lease.LeaseKeeper;
import io.celerypgmq.rollout.lease.LeaseLostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives every running rollout, one pass at a time, on the bridge instance that holds the rollout lease: samples the
 * pgmq queues (for the uptime rule), takes the Redis census when due, and for each rollout reads the verifier over
 * its step's window, decides with the {@link StepMachine} and acts through {@link RolloutActions}. A pass on an
 * instance without the lease does nothing. One rollout failing does not keep the others from their pass.
 */
public final class RolloutDriver {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutDriver.class);

    /** Samples every pgmq queue once (the verifier's uptime rule reads the samples). */
    @FunctionalInterface
    public interface QueueSampler {
        void sampleOnce();
    }

    private final RolloutQueries rollouts;
    private final LeaseKeeper lease;
    private final StepReadings readings;
    private final RolloutActions actions;
    private final QueueSampler sampler;
    private final CensusDuty census;
    private final Clock clock;
    /** Identities the previous check of each rollout's current step found missing, keyed by rollout and step. */
    private final Map<String, Set<String>> missing = new HashMap<>();

    RolloutDriver(
            RolloutQueries rollouts,
            LeaseKeeper lease,
            StepReadings readings,
            RolloutActions actions,
            QueueSampler sampler,
            CensusDuty census,
            Clock clock) {
        this.rollouts = rollouts;
        this.lease = lease;
        this.readings = readings;
        this.actions = actions;
        this.sampler = sampler;
        this.census = census;
        this.clock = clock;
    }

    /** One pass; reports work when a rollback moved messages (another pass follows at once), else idle. */
    public boolean runOnce() {
        Optional<Fence> fence = lease.fence();
        if (fence.isEmpty()) {
            missing.clear();
            return false;
        }
        RuntimeException first = null;
        boolean moved = false;
        try {
            census.runIfDue(fence.get());
        } catch (RuntimeException e) {
            LOG.warn("[rollout] the Redis census failed: {}", Secrets.mask(e.toString()));
            first = e;
        }
        List<Rollout> running = rollouts.running();
        if (running.stream().anyMatch(r -> r.state().holding())) {
            sampler.sampleOnce();
        }
        for (Rollout r : running) {
            try {
                moved |= drive(r, fence.get());
            } catch (LeaseLostException e) {
                LOG.warn("[rollout] {}", e.getMessage());
                return false;
            } catch (RuntimeException e) {
                LOG.warn(
                        "[rollout] #{} {}: pass failed, trying again next pass: {}",
                        r.id(),
                        r.plan().task(),
                        Secrets.mask(e.toString()));
                first = first == null ? e : first;
            }
        }
        missing.keySet().removeIf(key -> running.stream().noneMatch(r -> key.equals(key(r))));
        if (first != null) {
            throw first;
        }
        return moved;
    }

    private boolean drive(Rollout r, Fence fence) {
        Instant now = clock.instant();
        if (r.state() == RolloutState.ROLLING_BACK) {
            return actions.drain(r, fence, now);
        }
        StepReading step = readings.step(r, now);
        Duration hold = r.stepIndex() < 0 ? r.plan().shadow() : r.plan().hold();
        var breach = BreachRules.check(
                step, missing.getOrDefault(key(r), Set.of()), hold, Duration.between(r.stepStartedAt(), now));
        missing.put(key(r), step.missing());
        GateOutcome gate = breach.isEmpty() && StepMachine.gateDue(r, now)
                ? GateJudge.judge(step, readings.wholeRollout(r, now))
                : null;
        return actions.apply(r, StepMachine.decide(r, breach, gate, now), fence, now);
    }

    private static String key(Rollout r) {
        return r.id() + ":" + r.stepIndex();
    }
}
