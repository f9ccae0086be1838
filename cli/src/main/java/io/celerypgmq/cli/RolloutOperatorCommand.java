package io.celerypgmq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.rollout.IllegalRolloutTransitionException;
import io.celerypgmq.rollout.Rollout;
import io.celerypgmq.rollout.RolloutQueries;
import io.celerypgmq.rollout.RolloutStore;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** An operator's word on a running rollout: pause, resume, abort. Each is audited with who and why. */
abstract class RolloutOperatorCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConnectionOptions options;

    @Parameters(index = "0", paramLabel = "ID|TASK", description = "Rollout number or task type.")
    String which;

    @Option(names = "--reason", description = "Why, for the audit trail.")
    String reason;

    @Option(names = "--by", description = "Who, for the audit trail (default: $USER).")
    String by;

    abstract String verb();

    abstract UnaryOperator<Rollout> change(String who, Instant now);

    /** The route to set with the change, or {@code null}. */
    Route route(Rollout r) {
        return null;
    }

    @Override
    public Integer call() {
        String who = by != null ? by : System.getProperty("user.name", "unknown");
        try (HikariDataSource db = Stores.postgres(options.connections(), "rollout")) {
            RolloutStore store = RolloutCommand.store(db);
            Rollout r = RolloutCommand.find(new RolloutQueries(db), which)
                    .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(), "no rollout " + which));
            Instant now = Instant.now();
            String detail = verb() + " by " + who + (reason == null ? "" : ": " + reason);
            Rollout after;
            try {
                after = store.operate(r.id(), change(who, now), route(r), who, detail, now);
            } catch (IllegalRolloutTransitionException e) {
                spec.commandLine().getErr().println("celery-pgmq: refused: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return ExitCode.USAGE;
            }
            spec.commandLine()
                    .getOut()
                    .println("rollout #" + after.id() + " " + after.plan().task() + ": "
                            + RolloutText.headline(after, now));
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }

    @Command(
            name = "pause",
            description = "Stop the step clock where it is; breach checks go on (a breach still rolls back).",
            footer = {
                "%nExample:%n  celery-pgmq rollout pause send_welcome_email --reason 'deploy window'",
                ExitCode.FOOTER
            })
    static final class Pause extends RolloutOperatorCommand {
        @Override
        String verb() {
            return "paused";
        }

        @Override
        UnaryOperator<Rollout> change(String who, Instant now) {
            return r -> r.pause(now);
        }
    }

    @Command(
            name = "resume",
            description = "Restart the step clock with the hold that was left when paused.",
            footer = {"%nExample:%n  celery-pgmq rollout resume send_welcome_email", ExitCode.FOOTER})
    static final class Resume extends RolloutOperatorCommand {
        @Override
        String verb() {
            return "resumed";
        }

        @Override
        UnaryOperator<Rollout> change(String who, Instant now) {
            return r -> r.resume(now);
        }
    }

    @Command(
            name = "abort",
            description = "Route the task type back to celery now; the driving bridge then moves what waits in pgmq"
                    + " (and its DLQ) back to Celery. Without a running bridge, use replay pgmq-to-redis.",
            footer = {
                "%nExample:%n  celery-pgmq rollout abort send_welcome_email --reason 'worker leaks memory'",
                ExitCode.FOOTER
            })
    static final class Abort extends RolloutOperatorCommand {
        @Override
        String verb() {
            return "aborted";
        }

        @Override
        UnaryOperator<Rollout> change(String who, Instant now) {
            return r -> r.rollBack("aborted by " + who + (reason == null ? "" : ": " + reason), now);
        }

        @Override
        Route route(Rollout r) {
            return Route.celery(r.plan().task());
        }
    }
}
