package io.celerypgmq.rollout;

import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.replay.JobBusyException;
import io.celerypgmq.replay.ReplayReport;
import io.celerypgmq.rollout.lease.Fence;
import io.celerypgmq.rollout.rollback.RollbackPass;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the step machine's decisions under the driver's fence: a step's new route, completion, the route back
 * to Celery with the failing criterion and its measurement in the audit, and the rollback's drain passes.
 */
final class RolloutActions {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutActions.class);

    private final RolloutStore store;
    private final RollbackPass rollback;
    private final Duration settle;

    RolloutActions(RolloutStore store, RollbackPass rollback, Duration settle) {
        this.store = store;
        this.rollback = rollback;
        this.settle = settle;
    }

    /** @return whether it moved messages back to Celery (a drain pass that may have more to do) */
    boolean apply(Rollout r, Decision d, Fence fence, Instant now) {
        if (d instanceof Decision.Drain) {
            return drain(r, fence, now);
        } else if (d instanceof Decision.Advance a) {
            Rollout next = r.advance(a.index(), now);
            String go = "GO at the gate of step " + r.stepText();
            String detail = go + " (" + a.gate().summary() + "); now "
                    + next.routeOf(a.index()).describeMode() + " until " + next.gateAt();
            store.move(fence, r, next, next.routeOf(a.index()), go, detail, now)
                    .ifPresent(m ->
                            LOG.info("[rollout] #{} {}: {}", r.id(), r.plan().task(), detail));
        } else if (d instanceof Decision.Complete c) {
            String detail = "GO at the last gate (" + c.gate().summary() + "); "
                    + r.plan().task() + " stays on pgmq at 100 %";
            store.move(fence, r, r.complete(now), null, detail, now)
                    .ifPresent(m -> LOG.info(
                            "[rollout] #{} {} completed: {}", r.id(), r.plan().task(), detail));
        } else if (d instanceof Decision.RollBack b) {
            String detail = "rolling back to celery: " + b.cause();
            store.move(
                            fence,
                            r,
                            r.rollBack(b.cause(), now),
                            Route.celery(r.plan().task()),
                            detail,
                            now)
                    .ifPresent(m ->
                            LOG.warn("[rollout] #{} {} {}", r.id(), r.plan().task(), detail));
        }
        return false;
    }

    /**
     * One drain pass; finishes the rollback once nothing of the task type is left and the route has settled.
     *
     * @return whether the pass moved messages (more may be waiting)
     */
    boolean drain(Rollout r, Fence fence, Instant now) {
        Rollout current = r;
        long left = 0;
        if (r.reachedPgmq()) {
            ReplayReport report;
            try {
                report = rollback.run(r);
            } catch (JobBusyException e) {
                LOG.info("[rollout] #{}: the rollback job is busy elsewhere, trying again: {}", r.id(), e.getMessage());
                return false;
            }
            if (report.moved() > 0 || report.quarantined() > 0) {
                String detail = "moved " + report.moved() + " message(s) of "
                        + r.plan().task() + " back to Celery"
                        + (report.quarantined() > 0
                                ? ", " + report.quarantined() + " could not be and are in celery_pgmq.quarantine"
                                : "")
                        + " (replay job " + RollbackPass.jobId(r) + ")";
                current = store.drained(fence, r, report.moved(), detail, now);
                LOG.info("[rollout] #{} {}: {}", r.id(), r.plan().task(), detail);
            }
            left = rollback.left(r);
        }
        boolean moved = current.drained() > r.drained();
        if (left > 0 || now.isBefore(r.rollbackAt().plus(settle))) {
            return moved;
        }
        String detail = "rolled back: " + r.plan().task() + " is on celery and nothing of it is left in "
                + r.plan().queue() + " or its DLQ; " + current.drained() + " message(s) moved back to Celery";
        Rollout done = current;
        store.move(fence, current, current.rolledBack(now), null, detail, now)
                .ifPresent(m ->
                        LOG.warn("[rollout] #{} {} {}", done.id(), done.plan().task(), detail));
        return moved;
    }
}
