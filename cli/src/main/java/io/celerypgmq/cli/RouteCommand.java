package io.celerypgmq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.route.IllegalRouteTransitionException;
import io.celerypgmq.bridge.route.KombuQueueNames;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteChange;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteStore;
import io.celerypgmq.bridge.route.RouteTransitions;
import io.celerypgmq.bridge.route.RouteTransitions.ShadowCopies;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.OneLine;
import io.celerypgmq.verifier.VerifierSettings;
import io.celerypgmq.verifier.reconcile.CompletionLog;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
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
            description = "Route a task type (exact name or glob like 'reports.*'). For a plain pgmq worker (--format"
                    + " task or template): celery → shadow → pgmq; going straight from celery to pgmq is refused. For"
                    + " Celery workers on pgmq:// (--format kombu): celery → pgmq at up to "
                    + RouteTransitions.CELERY_ON_PGMQ_FIRST_STEP_PERCENT
                    + " %% first, then any share; shadow is refused"
                    + " (such a worker runs every shadow copy) unless --no-celery-consumer; --queue is the Celery"
                    + " queue the workers consume (-Q), written to the pgmq queue kombu names for it, and deletes on"
                    + " it are tracked for verify. Back to celery from anywhere.",
            footer = {
                "%nExamples:",
                "  celery-pgmq route set send_welcome_email shadow --queue user_tasks_shadow --reason 'start shadowing'",
                "  celery-pgmq route set send_welcome_email pgmq --percent 10 --queue user_tasks --format template",
                "  celery-pgmq route set emails.send pgmq --percent 10 --queue k57.fast-q --format kombu",
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

        @Option(
                names = "--queue",
                description = "pgmq queue (shadow or target); created if missing. With --format kombu: the Celery"
                        + " queue your pgmq:// workers consume (-Q); the pgmq queue is kombu's name for it.")
        String queue;

        @Option(
                names = "--kombu-queue-prefix",
                paramLabel = "PREFIX",
                description = "With --format kombu: your workers' broker_transport_options queue_name_prefix"
                        + " (default: kombu.queue-name-prefix, else none).")
        String kombuPrefix;

        @Option(
                names = "--no-celery-consumer",
                description = "With --format kombu and shadow: state that no Celery worker consumes --queue (one"
                        + " there would run every shadow copy a second time). Recorded in the audit trail.")
        boolean noCeleryConsumer;

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
            ConfigSource source = options.source();
            PrintWriter out = spec.commandLine().getOut();
            RouteMode m;
            Route route;
            try {
                m = RouteMode.parse(mode);
                PayloadFormat f = PayloadFormat.parse(format);
                String pgmqQueue = m == RouteMode.CELERY ? null : queue;
                if (pgmqQueue != null && f == PayloadFormat.KOMBU) {
                    KombuQueueNames names =
                            kombuPrefix != null ? new KombuQueueNames(kombuPrefix) : KombuQueueNames.from(source);
                    pgmqQueue = names.pgmqName(queue);
                    if (!pgmqQueue.equals(queue)) {
                        out.println("Celery queue " + queue + " is pgmq queue " + pgmqQueue
                                + " for kombu's pgmq transport"
                                + (names.prefix().isEmpty() ? "" : " (queue_name_prefix '" + names.prefix() + "')"));
                    }
                }
                route = new Route(task, m, m == RouteMode.CELERY ? 0 : percent, pgmqQueue, f);
                if (by != null) {
                    OneLine.require(by); // the audit trail and its log line would show a forged line
                }
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            ShadowCopies shadow = noCeleryConsumer ? ShadowCopies.NO_CELERY_CONSUMER : ShadowCopies.MAY_BE_RUN;
            String why = noCeleryConsumer
                    ? (reason == null ? "" : reason + " ") + "[stated: no Celery worker consumes " + route.pgmqQueue()
                            + "]"
                    : reason;
            try (HikariDataSource db = Stores.postgres(options.connections(), "route")) {
                if (route.pgmqQueue() != null) {
                    PgmqInstaller.ensure(db);
                    new PgmqClient(db).create(QueueName.of(route.pgmqQueue()));
                }
                String who = by != null ? by : System.getProperty("user.name", "unknown");
                RouteChange change = store(db).set(route, who, why, shadow);
                out.println(change.taskPattern() + ": "
                        + (change.oldRoute() == null ? "celery (default)" : change.oldRoute()) + " → "
                        + change.newRoute());
                if (route.format() == PayloadFormat.KOMBU && route.pgmqQueue() != null) {
                    trackDeletes(db, QueueName.of(route.pgmqQueue()).value(), source, out);
                }
                out.flush();
                return ExitCode.OK;
            } catch (IllegalRouteTransitionException e) {
                spec.commandLine().getErr().println("celery-pgmq: refused: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return ExitCode.USAGE;
            }
        }

        /** Celery workers on pgmq:// ack (and reject) by delete: without the log, verify takes every ack for a loss. */
        private void trackDeletes(HikariDataSource db, String pgmqQueue, ConfigSource source, PrintWriter out) {
            String identity = VerifierSettings.from(source).dlq().identityKey();
            CompletionLog.Tracking t = CompletionLog.track(db, List.of(pgmqQueue), identity);
            if (!t.refused().isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .println("celery-pgmq: warning: cannot track deletes on " + pgmqQueue + ": "
                                + t.refused().get(pgmqQueue) + "; verify will report its acked messages as MISSING");
                return;
            }
            Instant since;
            try (Connection c = db.getConnection()) {
                since = CompletionLog.tracked(c).get(pgmqQueue);
            } catch (SQLException e) {
                throw new IllegalStateException("reading the delete tracking of " + pgmqQueue, e);
            }
            out.println("delete tracking on pgmq queue " + pgmqQueue + " since " + since + ": Celery workers on"
                    + " pgmq:// ack and reject by delete, and verify counts each such delete as DELETED");
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
