package io.celerypgmq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.rollout.Rollout;
import io.celerypgmq.rollout.RolloutQueries;
import io.celerypgmq.rollout.RolloutState;
import io.celerypgmq.rollout.lease.DriverLease;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rollout status [ID|TASK]}: where a rollout stands, who drives it, and everything that happened to it. */
@Command(
        name = "status",
        description = "Show a rollout (by number or task type; default: every running one): its step, next gate, the"
                + " bridge driving it, and its events (steps, gate verdicts with their measurements, pauses,"
                + " rollback passes).",
        footer = {
            "%nExamples:%n  celery-pgmq rollout status%n  celery-pgmq rollout status send_welcome_email",
            "%nExit codes: 0 ok, 1 the rollout shown rolled back, 2 usage error (no such rollout), 3 cannot start,"
                    + " 4 crashed."
        })
final class RolloutStatusCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConnectionOptions options;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID|TASK", description = "Rollout number or task type.")
    String which;

    @Override
    public Integer call() {
        try (HikariDataSource db = Stores.postgres(options.connections(), "rollout")) {
            RolloutQueries store = RolloutCommand.queries(db);
            PrintWriter out = spec.commandLine().getOut();
            RolloutText text = new RolloutText(out);
            List<Rollout> shown;
            if (which == null) {
                shown = store.running();
                if (shown.isEmpty()) {
                    out.println("no rollout is running"
                            + store.recent(1).stream()
                                    .findFirst()
                                    .map(r -> "; the newest is #" + r.id() + " "
                                            + r.plan().task() + ", " + RolloutText.headline(r, Instant.now()))
                                    .orElse(""));
                    out.flush();
                    return ExitCode.OK;
                }
            } else {
                shown = RolloutCommand.find(store, which).stream().toList();
                if (shown.isEmpty()) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "no rollout " + which);
                }
            }
            var driver = DriverLease.current(db);
            for (Rollout r : shown) {
                text.detail(r, store.events(r.id()), driver, Instant.now());
            }
            return which != null && shown.get(0).state() == RolloutState.ROLLED_BACK
                    ? ExitCode.VERIFICATION_FAILED
                    : ExitCode.OK;
        }
    }
}
