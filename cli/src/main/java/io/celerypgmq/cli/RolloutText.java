package io.celerypgmq.cli;

import io.celerypgmq.bridge.status.StatusLine;
import io.celerypgmq.rollout.Rollout;
import io.celerypgmq.rollout.RolloutEvent;
import io.celerypgmq.rollout.RolloutQueries;
import io.celerypgmq.rollout.RolloutState;
import io.celerypgmq.rollout.lease.DriverLease;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** How the rollout commands print a rollout, its events and who drives it. */
final class RolloutText {
    private final PrintWriter out;

    RolloutText(PrintWriter out) {
        this.out = out;
    }

    void started(Rollout r) {
        out.println("rollout #" + r.id() + " of " + r.plan().task() + " started: "
                + r.routeOf(r.stepIndex()).describeMode() + ", first gate at " + r.gateAt());
        out.println("  " + plan(r));
        out.println("  a running bridge drives it: celery-pgmq rollout status " + r.id());
        out.flush();
    }

    void detail(Rollout r, List<RolloutEvent> events, Optional<DriverLease.Holder> driver, Instant now) {
        out.println("rollout #" + r.id() + " " + r.plan().task() + ": " + headline(r, now));
        out.println("  " + plan(r));
        out.println("  started " + r.startedAt() + " by " + r.startedBy()
                + (r.finishedAt() == null ? "" : ", finished " + r.finishedAt()));
        if (r.state().holding()) {
            out.println("  this step's window: ledger entries bridged since " + r.stepStartedAt());
        }
        if (!r.state().finished()) {
            out.println("  driver: "
                    + driver.filter(DriverLease.Holder::live)
                            .map(h -> "bridge " + h.holder() + " (lease epoch " + h.epoch() + ", until " + h.expiresAt()
                                    + ")")
                            .orElse("none: no bridge holds the rollout lease, so the rollout waits (start celery-pgmq"
                                    + " bridge)"));
        }
        if (r.cause() != null) {
            out.println("  cause: " + r.cause());
        }
        if (r.drained() > 0 || r.state() == RolloutState.ROLLED_BACK) {
            out.println("  moved back to Celery: " + r.drained() + " message(s)");
        }
        out.println("  events:");
        events.forEach(this::event);
        out.flush();
    }

    void event(RolloutEvent e) {
        out.println("    " + e.at() + "  " + e.to().words() + " " + e.step() + "  " + e.detail() + "  [" + e.actor()
                + (e.epoch() == null ? "" : ", epoch " + e.epoch()) + "]");
        out.flush();
    }

    /** e.g. {@code ramping, step 3/5 (25 %), next gate in 4 min} or {@code rolled back: NO-GO at ...}. */
    static String headline(Rollout r, Instant now) {
        String base = r.state().words() + ", step " + r.stepText();
        return switch (r.state()) {
            case SHADOWING, RAMPING -> base + ", " + StatusLine.nextGate(r.gateAt(), now);
            case PAUSED -> base + ", " + StatusLine.duration(r.holdLeft() == null ? Duration.ZERO : r.holdLeft())
                    + " of the hold left (resume with: celery-pgmq rollout resume " + r.id() + ")";
            case ROLLING_BACK -> base + ", moving what waits in " + r.plan().queue() + " back to Celery";
            case ROLLED_BACK -> "rolled back from step " + r.stepText();
            case COMPLETED -> "completed: on pgmq at 100 % → " + r.plan().queue();
        };
    }

    static String plan(Rollout r) {
        return "plan: steps " + r.plan().steps().stream().map(String::valueOf).collect(Collectors.joining(","))
                + " %, hold " + StatusLine.duration(r.plan().hold()) + " each, shadow "
                + (r.plan().shadowFirst()
                        ? StatusLine.duration(r.plan().shadow()) + " → "
                                + r.plan().shadowQueue()
                        : "none")
                + ", queue " + r.plan().queue() + " (" + r.plan().format().label() + "), rollback to "
                + (r.plan().celeryQueue() == null
                        ? "each message's own Celery queue"
                        : r.plan().celeryQueue())
                + (r.plan().strict() ? ", strict" : "");
    }

    /** Prints each new event until the rollout finishes; 0 when it completed, 1 when it rolled back. */
    int follow(RolloutQueries store, long id, Duration every) throws InterruptedException {
        long seen = 0;
        while (true) {
            for (RolloutEvent e : store.events(id)) {
                if (e.id() > seen) {
                    event(e);
                    seen = e.id();
                }
            }
            Rollout r = store.find(id).orElseThrow();
            if (r.state().finished()) {
                out.println("rollout #" + id + " " + headline(r, Instant.now())
                        + (r.cause() == null ? "" : ": " + r.cause()));
                out.flush();
                return r.state() == RolloutState.COMPLETED ? ExitCode.OK : ExitCode.VERIFICATION_FAILED;
            }
            Thread.sleep(every.toMillis());
        }
    }
}
