package io.celerypgmq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.route.IllegalRouteTransitionException;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteStore;
import io.celerypgmq.rollout.Rollout;
import io.celerypgmq.rollout.RolloutConflictException;
import io.celerypgmq.rollout.RolloutLauncher;
import io.celerypgmq.rollout.RolloutPlan;
import io.celerypgmq.rollout.RolloutQueries;
import io.celerypgmq.rollout.RolloutStore;
import io.celerypgmq.verifier.Window;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rollout start}: records the rollout and sets its first route; a running bridge drives the rest. */
@Command(
        name = "start",
        description = "Start a rollout of one task type: shadow for --shadow (where the consumer may run copies), then"
                + " each pgmq share of --steps for --hold, moving on only when the verifier says GO for that step's"
                + " window. A NO-GO, or a breach during a hold (a MISSING message, the DLQ rate over its threshold,"
                + " a consumer stalled beyond the uptime rule), routes it back to celery and moves what waits in pgmq"
                + " (and its DLQ) back to Celery. A running bridge drives it.",
        footer = {
            "%nExamples:",
            "  celery-pgmq rollout start send_welcome_email --queue user_tasks --format template --shadow 10m",
            "  celery-pgmq rollout start send_welcome_email --queue user_tasks --steps 10,50,100 --hold 30m --wait",
            "%nExit codes: 0 started (with --wait: completed), 1 with --wait: rolled back, 2 usage error or refused"
                    + " (the message says why), 3 cannot start (Postgres unreachable), 4 crashed."
        })
final class RolloutStartCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConnectionOptions options;

    @Parameters(index = "0", paramLabel = "TASK", description = "The task type (its exact name).")
    String task;

    @Option(
            names = "--steps",
            defaultValue = RolloutPlan.DEFAULT_STEPS,
            description = "pgmq shares in percent, ascending, ending at 100 (default ${DEFAULT-VALUE}).")
    String steps;

    @Option(
            names = "--hold",
            defaultValue = "10m",
            description = "How long each step holds before its gate" + " (90s, 10m, 1h; default ${DEFAULT-VALUE}).")
    String hold;

    @Option(
            names = "--queue",
            paramLabel = "Q",
            description = "The pgmq queue the task type moves to (created if"
                    + " missing). Its Q_dlq is drained back too on a rollback.")
    String queue;

    @Option(
            names = "--format",
            paramLabel = "F",
            description = "pgmq payload: kombu, task or template (default: the" + " current route's, else task).")
    String format;

    @Option(
            names = "--shadow",
            paramLabel = "DURATION",
            description = "Hold in shadow this long first (Celery runs"
                    + " everything, pgmq gets copies) and gate it. Required when the task type is on celery.")
    String shadow;

    @Option(
            names = "--shadow-queue",
            paramLabel = "Q",
            description = "Where shadow copies go (default: the current" + " shadow route's queue, else Q_shadow).")
    String shadowQueue;

    @Option(
            names = "--celery-queue",
            paramLabel = "Q",
            description = "Where a rollback pushes messages (default: the"
                    + " Celery queue each came from; with an inline router, the list your workers consume).")
    String celeryQueue;

    @Option(names = "--strict", description = "Criteria that could not be measured fail a gate.")
    boolean strict;

    @Option(names = "--reason", description = "Why, for the audit trail.")
    String reason;

    @Option(names = "--by", description = "Who, for the audit trail (default: $USER).")
    String by;

    @Option(names = "--wait", description = "Stay and print each step until the rollout completes or rolls back.")
    boolean await;

    @Override
    public Integer call() throws InterruptedException {
        RolloutLauncher.Request request;
        try {
            request = new RolloutLauncher.Request(
                    task,
                    RolloutPlan.parseSteps(steps),
                    Window.parseDuration(hold),
                    shadow == null ? null : Window.parseDuration(shadow),
                    queue,
                    shadowQueue,
                    format == null ? null : PayloadFormat.parse(format),
                    celeryQueue,
                    strict);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        String who = by != null ? by : System.getProperty("user.name", "unknown");
        try (HikariDataSource db = Stores.postgres(options.connections(), "rollout")) {
            RolloutStore store = RolloutCommand.store(db);
            Rollout started;
            try {
                Route current = new RouteStore(db).load().routeFor(task);
                RolloutPlan plan = RolloutLauncher.plan(request, current);
                PgmqInstaller.ensure(db);
                PgmqClient pgmq = new PgmqClient(db);
                pgmq.create(QueueName.of(plan.queue()));
                if (plan.shadowFirst()) {
                    pgmq.create(QueueName.of(plan.shadowQueue()));
                }
                started = store.start(
                        RolloutLauncher.draft(plan, Clock.systemUTC().instant(), who), who, reason);
            } catch (IllegalArgumentException | IllegalRouteTransitionException | RolloutConflictException e) {
                spec.commandLine().getErr().println("celery-pgmq: refused: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return ExitCode.USAGE;
            }
            RolloutText text = new RolloutText(spec.commandLine().getOut());
            text.started(started);
            return await ? text.follow(new RolloutQueries(db), started.id(), Duration.ofSeconds(1)) : ExitCode.OK;
        }
    }
}
