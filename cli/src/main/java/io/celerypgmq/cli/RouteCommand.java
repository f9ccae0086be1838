package io.celerypgmq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.route.IllegalRouteTransitionException;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteChange;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteStore;
import io.celerypgmq.config.OneLine;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code route list|set|history}: per task type, where the bridge sends messages; every change audited. */
@Command(
        name = "route",
        description = "Show and change per-task-type routing (celery, shadow, pgmq at a sticky percentage)."
                + " Running bridges apply a change within a second.",
        subcommands = {RouteCommand.ListRoutes.class, RouteCommand.Set.class, RouteCommand.History.class},
        footer = {
            "%nExamples:%n  celery-pgmq route list%n  celery-pgmq route set send_welcome_email shadow --queue user_tasks_shadow",
            ExitCode.FOOTER
        })
final class RouteCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static RouteStore store(HikariDataSource db) {
        BridgeSchema.install(db);
        return new RouteStore(db);
    }

    @Command(
            name = "list",
            description = "List the routes in force.",
            footer = {"%nExample:%n  celery-pgmq route list", ExitCode.FOOTER})
    static final class ListRoutes implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectionOptions options;

        @Override
        public Integer call() {
            try (HikariDataSource db = Stores.postgres(options.connections(), "route")) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-36s %-8s %7s  %-28s %s%n", "TASK", "MODE", "PERCENT", "PGMQ QUEUE", "FORMAT");
                for (Route r : store(db).load().routes()) {
                    out.printf(
                            "%-36s %-8s %7s  %-28s %s%n",
                            r.taskPattern(),
                            r.mode().label(),
                            r.mode() == RouteMode.CELERY ? "-" : r.percent() + " %",
                            r.pgmqQueue() == null ? "-" : r.pgmqQueue(),
                            r.format().label());
                }
                out.flush();
                return ExitCode.OK;
            }
        }
    }

    @Command(
            name = "set",
            description = "Route a task type (exact name or glob like 'reports.*'). celery → shadow → pgmq; back to"
                    + " celery from anywhere. Going straight from celery to pgmq is refused.",
            footer = {
                "%nExamples:",
                "  celery-pgmq route set send_welcome_email shadow --queue user_tasks_shadow --reason 'start shadowing'",
                "  celery-pgmq route set send_welcome_email pgmq --percent 10 --queue user_tasks --format template",
                "  celery-pgmq route set send_welcome_email celery --reason 'roll back'",
                ExitCode.FOOTER
            })
    static final class Set implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectionOptions options;

        @Parameters(
                index = "0",
                paramLabel = "TASK",
                description = "Task name or glob pattern; '*' is the default route.")
        String task;

        @Parameters(index = "1", paramLabel = "MODE", description = "celery, shadow or pgmq.")
        String mode;

        @Option(
                names = "--percent",
                description = "Share of root tasks on the pgmq side, sticky by root_id (default ${DEFAULT-VALUE}).",
                defaultValue = "100")
        int percent;

        @Option(names = "--queue", description = "pgmq queue (shadow or target); created if missing.")
        String queue;

        @Option(
                names = "--format",
                description = "pgmq payload: kombu, task or template (default ${DEFAULT-VALUE}).",
                defaultValue = "task")
        String format;

        @Option(names = "--reason", description = "Why, for the audit trail.")
        String reason;

        @Option(names = "--by", description = "Who, for the audit trail (default: $USER).")
        String by;

        @Override
        public Integer call() {
            RouteMode m;
            Route route;
            try {
                m = RouteMode.parse(mode);
                route = new Route(
                        task,
                        m,
                        m == RouteMode.CELERY ? 0 : percent,
                        m == RouteMode.CELERY ? null : queue,
                        PayloadFormat.parse(format));
                if (by != null) {
                    OneLine.require(by); // the audit trail and its log line would show a forged line
                }
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            try (HikariDataSource db = Stores.postgres(options.connections(), "route")) {
                if (route.pgmqQueue() != null) {
                    PgmqInstaller.ensure(db);
                    new PgmqClient(db).create(QueueName.of(route.pgmqQueue()));
                }
                String who = by != null ? by : System.getProperty("user.name", "unknown");
                RouteChange change = store(db).set(route, who, reason);
                spec.commandLine()
                        .getOut()
                        .println(change.taskPattern() + ": "
                                + (change.oldRoute() == null ? "celery (default)" : change.oldRoute()) + " → "
                                + change.newRoute());
                spec.commandLine().getOut().flush();
                return ExitCode.OK;
            } catch (IllegalRouteTransitionException e) {
                spec.commandLine().getErr().println("celery-pgmq: refused: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return ExitCode.USAGE;
            }
        }
    }

    @Command(
            name = "history",
            description = "Show route changes, newest first.",
            footer = {"%nExample:%n  celery-pgmq route history --limit 20", ExitCode.FOOTER})
    static final class History implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectionOptions options;

        @Option(names = "--limit", defaultValue = "50", description = "How many changes (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            try (HikariDataSource db = Stores.postgres(options.connections(), "route")) {
                PrintWriter out = spec.commandLine().getOut();
                for (RouteChange c : store(db).history(limit)) {
                    out.printf(
                            "%s  %-28s %s → %s  by %s%s%n",
                            c.changedAt(),
                            c.taskPattern(),
                            c.oldRoute() == null ? "celery (default)" : c.oldRoute(),
                            c.newRoute(),
                            c.changedBy(),
                            c.reason() == null ? "" : "  (" + c.reason() + ")");
                }
                out.flush();
                return ExitCode.OK;
            }
        }
    }
}
