package io.celerypgmq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.dashboard.VerdictSource;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.PayloadTemplate;
import io.celerypgmq.verifier.uptime.QueueWatch;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The guided demo on embedded Redis and Postgres: Celery-format traffic for the seeds' task types flows through the
 * bridge while the demo walks look → shadow → 10 % → 100 % → verify → roll back → two rollouts on autopilot (one
 * completes, one aborts when the pgmq worker fails) → cut over, running the very commands a user would type and
 * serving the dashboard throughout.
 */
@Command(
        name = "demo",
        description = "The guided demo on embedded Redis and Postgres (nothing to install or configure): the whole"
                + " migration journey with live traffic, the commands a user would type, and the dashboard.",
        footer = {
            "%nExamples:%n  ./celery-pgmq demo --quick%n  ./celery-pgmq demo --stay      (keep the dashboard up afterwards)",
            ExitCode.FOOTER
        })
final class DemoCommand implements Callable<Integer> {
    static final String WELCOME = "send_welcome_email";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "Shorter pauses: the whole walk in under a minute.")
    boolean quick;

    @Option(names = "--stay", description = "Keep the stores and the dashboard running after the walk, until Ctrl-C.")
    boolean stay;

    @Option(
            names = "--port",
            description = "Dashboard and /metrics port (default ${DEFAULT-VALUE}; 0 picks a free one).",
            defaultValue = "0")
    int port;

    @Option(
            names = "--report",
            description = "Where to write the HTML verification report (default ${DEFAULT-VALUE}).",
            defaultValue = "celery-pgmq-demo-report.html")
    Path report;

    @Override
    public Integer call() throws Exception {
        Narrator say = new Narrator(spec.commandLine().getOut());
        say.step("Starting embedded Redis and Postgres, pgmq and the bridge (your own services are not touched)");
        ObjectNode shape = JSON.createObjectNode()
                .put("task", WELCOME)
                .put("email", "{args[0]}")
                .put("username", "{args[1]}");
        Path config = Files.createTempFile("celery-pgmq-demo-", ".yml");
        Files.writeString(
                config,
                "# The demo's configuration: payload templates (connections are passed as flags).\n"
                        + "bridge:\n  templates:\n    " + WELCOME + ":\n      task: " + WELCOME
                        + "\n      email: \"{args[0]}\"\n"
                        + "      username: \"{args[1]}\"\n"
                        + "# Short intervals, so the demo's rollouts take seconds.\n"
                        + "rollout:\n  check-interval-ms: 300\n  lease-seconds: 5\n  census-interval-seconds: 2\n"
                        + "  rollback-settle-ms: 1000\n");
        config.toFile().deleteOnExit();
        try (DemoStack stack = DemoStack.start(port, Map.of(WELCOME, new PayloadTemplate(WELCOME, shape)), config)) {
            say.detail("Redis " + stack.redisServer.version() + ", Postgres " + stack.pgServer.version());
            say.detail("bridge: Celery producers → '" + DemoStack.SOURCE + "' → bridge → '" + DemoStack.CELERY_TARGET
                    + "' (Celery workers) or pgmq, per task type");
            say.detail("dashboard: " + stack.dashboardUrl() + "   metrics: " + stack.dashboardUrl() + "metrics");
            PgmqClient pgmq = new PgmqClient(stack.db);
            List<QueueName> queues = List.of(QueueName.of("user_tasks"), QueueName.of("user_tasks_shadow"));
            queues.forEach(pgmq::create);
            pgmq.create(QueueName.of("user_tasks_dlq"));
            QueueWatch watch = new QueueWatch(stack.db, Clock.systemUTC(), Duration.ofDays(1));
            Thread sampler =
                    new Thread(() -> watch.run(Duration.ofSeconds(1), Duration.ofHours(1)), "demo-verify-watch");
            sampler.setDaemon(true);
            sampler.start();
            try (DemoTraffic traffic = new DemoTraffic(stack.redis, stack.redisServer.url(), quick ? 30 : 20);
                    DemoWorkers workers = new DemoWorkers(stack.redis, stack.db, queues)) {
                return new Journey(stack, traffic, workers, say).walk();
            } finally {
                watch.stop();
            }
        }
    }

    /** The walk itself: each step changes one thing, waits, and shows what changed. */
    private final class Journey {
        private final DemoStack stack;
        private final DemoTraffic traffic;
        private final DemoWorkers workers;
        private final Narrator say;

        Journey(DemoStack stack, DemoTraffic traffic, DemoWorkers workers, Narrator say) {
            this.stack = stack;
            this.traffic = traffic;
            this.workers = workers;
            this.say = say;
        }

        int walk() throws Exception {
            say.step("Look: what sits in Celery's Redis today");
            say.detail("traffic from " + traffic.producer());
            traffic.publish(6);
            pause(2); // the bridge moves them on to the Celery workers' queue, where no worker runs yet
            show("inspect", DemoStack.CELERY_TARGET, "--limit", "3");
            show("pgmq", "status");
            say.detail(
                    "meanwhile `celery-pgmq verify watch` samples queue health every second (for the uptime criterion)");
            traffic.start();
            workers.start();
            pause(3);

            say.step("Shadow " + WELCOME + ": Celery stays authoritative, a copy goes to pgmq");
            show(
                    "route",
                    "set",
                    WELCOME,
                    "shadow",
                    "--queue",
                    "user_tasks_shadow",
                    "--reason",
                    "demo: start shadowing");
            pause(6);
            counts();

            say.step("Flip 10 % of " + WELCOME + " to pgmq (sticky by root_id), in the shape the new worker expects");
            show("route", "set", WELCOME, "pgmq", "--percent", "10", "--queue", "user_tasks", "--format", "template");
            pause(6);
            counts();

            say.step("Flip to 100 %");
            show("route", "set", WELCOME, "pgmq", "--percent", "100", "--queue", "user_tasks", "--format", "template");
            pause(6);
            counts();
            show("route", "history");

            say.step("Verify: zero loss by identity, DLQ rate, queue-wait latency — the go/no-go gate");
            DemoStack.CommandResult verify = show("verify");
            show("verify", "--format", "html", "--output", report.toString());
            say.detail("HTML report written to " + report.toAbsolutePath());
            stack.verdict.set(new VerdictSource.Verdict(
                    verify.exitCode() == 0 ? "GO" : "NO-GO",
                    Instant.now(),
                    "demo verification, exit code " + verify.exitCode()));

            say.step("Roll back: " + WELCOME + " goes back to Celery; what waits in pgmq is replayed into Celery");
            workers.pausePgmq(true);
            pause(3); // some welcome emails queue up in pgmq while its worker is away
            show("route", "set", WELCOME, "celery", "--reason", "demo: rollback drill");
            show("replay", "pgmq-to-redis", "--queue", "user_tasks", "--celery-queue", DemoStack.CELERY_TARGET);
            workers.pausePgmq(false);
            pause(3);
            counts();

            new DemoRollouts(stack, traffic, workers, say, this::show, quick).walk();

            say.step("Cut over: producers paused, the bridge stopped; leftovers in Redis are drained into pgmq");
            traffic.pause(true);
            stack.bridge.stop();
            stack.rollouts.close();
            traffic.publish(30);
            show("route", "set", WELCOME, "shadow", "--queue", "user_tasks_shadow");
            show("route", "set", WELCOME, "pgmq", "--percent", "100", "--queue", "user_tasks", "--format", "template");
            show("replay", "redis-to-pgmq", "--celery-queue", DemoStack.SOURCE, "--queue", "user_tasks", "--dry-run");
            show("replay", "redis-to-pgmq", "--celery-queue", DemoStack.SOURCE, "--queue", "user_tasks");
            pause(2);
            counts();

            say.step("Done. Produced " + traffic.produced() + " tasks; Celery ran "
                    + DemoWorkers.total(workers.ranOnCelery) + ", pgmq ran " + DemoWorkers.total(workers.ranOnPgmq)
                    + " (shadow copies included).");
            say.detail(
                    "Next: point celery-pgmq at your own Redis and Postgres — see README.md and MIGRATION_GUIDE.md.");
            if (stay) {
                say.detail("The dashboard stays up at " + stack.dashboardUrl() + " — press Ctrl-C to stop.");
                Thread.currentThread().join();
            }
            return Files.exists(report) && verify.exitCode() == ExitCode.OK
                    ? ExitCode.OK
                    : ExitCode.VERIFICATION_FAILED;
        }

        private DemoStack.CommandResult show(String... args) {
            say.command("celery-pgmq " + String.join(" ", args));
            DemoStack.CommandResult result = stack.run(args);
            result.output().lines().limit(40).forEach(line -> say.output(line));
            if (result.exitCode() != 0) {
                say.output("(exit code " + result.exitCode() + ")");
            }
            return result;
        }

        private void counts() {
            say.detail("so far: produced " + traffic.produced() + ", Celery ran " + workers.ranOnCelery + ", pgmq ran "
                    + workers.ranOnPgmq);
        }

        private void pause(int seconds) throws InterruptedException {
            Thread.sleep((quick ? seconds / 2L : seconds) * 1000L);
        }
    }

    /** Prints the demo's narration: numbered steps, indented details, and the commands a user would type. */
    static final class Narrator {
        private final PrintWriter out;
        private int step;

        Narrator(PrintWriter out) {
            this.out = out;
        }

        void step(String text) {
            out.println();
            out.println("[" + (++step) + "] " + text);
            out.flush();
        }

        void detail(String text) {
            out.println("    " + text);
            out.flush();
        }

        void command(String text) {
            out.println("    $ " + text);
            out.flush();
        }

        void output(String text) {
            out.println("      " + text);
            out.flush();
        }
    }
}
