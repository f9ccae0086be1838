package io.celerypgmq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.rollout.Rollout;
import io.celerypgmq.rollout.RolloutQueries;
import io.celerypgmq.rollout.RolloutSchema;
import io.celerypgmq.rollout.RolloutStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rollout start|status|pause|resume|abort|list}: progressive flips gated by the success criteria. */
@Command(
        name = "rollout",
        description = "Move a task type to pgmq step by step on autopilot: shadow, then each share held and judged by"
                + " the verifier; a NO-GO or a breach during a hold routes it back to Celery and drains pgmq back."
                + " A running bridge drives it (one instance at a time); its state is in Postgres.",
        subcommands = {
            RolloutStartCommand.class,
            RolloutStatusCommand.class,
            RolloutOperatorCommand.Pause.class,
            RolloutOperatorCommand.Resume.class,
            RolloutOperatorCommand.Abort.class,
            RolloutCommand.ListRollouts.class
        },
        footer = {
            "%nExamples:",
            "  celery-pgmq rollout start send_welcome_email --queue user_tasks --shadow 10m --steps 1,5,25,50,100 --hold 10m",
            "  celery-pgmq rollout status send_welcome_email",
            "  celery-pgmq rollout abort send_welcome_email --reason 'new worker leaks memory'",
            ExitCode.FOOTER
        })
final class RolloutCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static RolloutStore store(HikariDataSource db) {
        RolloutSchema.install(db);
        return new RolloutStore(db);
    }

    static RolloutQueries queries(HikariDataSource db) {
        RolloutSchema.install(db);
        return new RolloutQueries(db);
    }

    /** A rollout named by its number or its task type (the running one, else the newest). */
    static Optional<Rollout> find(RolloutQueries store, String idOrTask) {
        if (idOrTask.matches("#?\\d+")) {
            return store.find(Long.parseLong(idOrTask.replace("#", "")));
        }
        return store.running().stream()
                .filter(r -> r.plan().task().equals(idOrTask))
                .findFirst()
                .or(() -> store.latest(idOrTask));
    }

    @Command(
            name = "list",
            description = "List rollouts, newest first.",
            footer = {"%nExample:%n  celery-pgmq rollout list --limit 20", ExitCode.FOOTER})
    static final class ListRollouts implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectionOptions options;

        @Option(names = "--limit", defaultValue = "50", description = "How many (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            try (HikariDataSource db = Stores.postgres(options.connections(), "rollout")) {
                List<Rollout> rollouts = queries(db).recent(limit);
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-5s %-28s %-13s %-12s %-24s %s%n", "ID", "TASK", "STATE", "STEP", "STARTED", "CAUSE");
                for (Rollout r : rollouts) {
                    out.printf(
                            "%-5s %-28s %-13s %-12s %-24s %s%n",
                            "#" + r.id(),
                            r.plan().task(),
                            r.state().words(),
                            r.stepText(),
                            r.startedAt(),
                            r.cause() == null ? "" : r.cause());
                }
                if (rollouts.isEmpty()) {
                    out.println("(no rollouts yet: celery-pgmq rollout start TASK ...)");
                }
                out.flush();
                return ExitCode.OK;
            }
        }
    }
}
