package io.celerypgmq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.ConnectionSettings;
import io.celerypgmq.config.RedisUrl;
import io.celerypgmq.verifier.LedgerNotFoundException;
import io.celerypgmq.verifier.TaskGlob;
import io.celerypgmq.verifier.Verifier;
import io.celerypgmq.verifier.VerifierSettings;
import io.celerypgmq.verifier.VerifyRequest;
import io.celerypgmq.verifier.Window;
import io.celerypgmq.verifier.compare.RedisResultBackend;
import io.celerypgmq.verifier.reconcile.CompletionLog;
import io.celerypgmq.verifier.report.Report;
import io.celerypgmq.verifier.report.ReportFormat;
import io.celerypgmq.verifier.uptime.QueueWatch;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verify} and {@code verify watch}: the success-criteria report and the go/no-go gate. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Prove nothing was lost: reconcile every ledger entry by identity with pgmq's queue, archive,"
                + " DLQ and completion log; compare shadow runs with Celery's results; judge the success criteria"
                + " (zero loss, DLQ rate < 1 %%, consumer uptime > 99.9 %%, p95 queue wait < 5 s) per task type.",
        subcommands = {VerifyCommand.Watch.class},
        footer = {
            "%nExamples:",
            "  celery-pgmq verify --since 24h",
            "  celery-pgmq verify --track-deletes        # once: log deletes so they are not taken for loss",
            "  celery-pgmq verify --task 'reports.*' --format html --output verify.html",
            "  celery-pgmq verify --result-backend redis://cache:6379/1 --format json --strict",
            "%nExit codes: 0 every criterion passed (or, without --strict, some not measured), 1 a criterion failed,"
                    + " 2 usage or configuration error, 3 cannot start (store unreachable, no ledger), 4 crashed."
        })
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConnectionOptions options;

    @Option(
            names = "--since",
            paramLabel = "WHEN",
            description = "Start of the window (bridged_at): an instant"
                    + " (2025-06-01T00:00:00Z) or a duration back from now (90m, 24h, 7d). Default: the first entry.")
    String since;

    @Option(names = "--until", paramLabel = "WHEN", description = "End of the window (exclusive). Default: now.")
    String until;

    @Option(names = "--task", paramLabel = "GLOB", description = "Only task types matching this glob.")
    String task;

    @Option(
            names = "--format",
            defaultValue = "text",
            description = "text, json, markdown or html" + " (default ${DEFAULT-VALUE}).")
    String format;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write the report here instead of stdout.")
    Path output;

    @Option(
            names = "--track-deletes",
            description = "First install the completion log on every bridged queue, so"
                    + " messages deleted (not archived) by consumers count as DELETED instead of MISSING from now on.")
    boolean trackDeletes;

    @Option(
            names = "--result-backend",
            paramLabel = "URL",
            description = "Celery's Redis result backend for the"
                    + " shadow comparison (default: verify.result-backend, else redis.url)."
                    + FlagPasswords.HELP
                    + "CELERY_PGMQ_RESULT_BACKEND or the config file.")
    String resultBackend;

    @Option(names = "--strict", description = "Fail (exit 1) when a criterion could not be measured, too.")
    boolean strict;

    @Override
    public Integer call() {
        ConfigSource source = options.source();
        VerifierSettings settings = VerifierSettings.from(source);
        ReportFormat reportFormat = parse(ReportFormat::parse, format);
        Instant now = Instant.now();
        Instant from = since == null ? null : parse(t -> Window.parseInstant(t, now), since);
        Instant to = until == null ? now : parse(t -> Window.parseInstant(t, now), until);
        parse(x -> new Window(from, to), "");
        VerifyRequest request = new VerifyRequest(from, to, task == null ? null : parse(TaskGlob::new, task));
        FlagPasswords.checkRedis("--result-backend", resultBackend, VerifierSettings.RESULT_BACKEND.envVar());
        RedisUrl results = resultBackend != null
                ? VerifierSettings.RESULT_BACKEND.parse(resultBackend, "the command line (--result-backend)")
                : settings.resultBackend().orElseGet(() -> source.get(ConnectionSettings.REDIS_URL));
        PrintWriter err = spec.commandLine().getErr();
        try (HikariDataSource db = Stores.postgres(options.connections(), "verify");
                RedisResultBackend backend = new RedisResultBackend(results, settings.resultKeyPrefix())) {
            if (trackDeletes) {
                CompletionLog.Tracking t = CompletionLog.trackBridgedQueues(
                        db, List.of(), settings.dlq().identityKey());
                err.println("deletes now logged on " + t.tracked().size() + " queue(s): " + t.tracked());
                t.refused().forEach((q, why) -> err.println("cannot log deletes of " + q + ": " + why));
            }
            Report report;
            try {
                report = new Verifier(db, settings, backend, Clock.systemUTC()).run(request);
            } catch (LedgerNotFoundException e) {
                throw new CannotStartException(e.getMessage(), e);
            }
            // The text and Markdown reports end with the gate; stderr repeats it for a report sent elsewhere.
            write(reportFormat.render(report));
            err.println("verify: " + report.gate().label());
            err.flush();
            return report.gate().passes(strict) ? ExitCode.OK : ExitCode.VERIFICATION_FAILED;
        }
    }

    private void write(String rendered) {
        if (output == null) {
            spec.commandLine().getOut().print(rendered);
            spec.commandLine().getOut().flush();
            return;
        }
        try {
            Files.writeString(output, rendered, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "cannot write --output " + output + ": " + e.getMessage());
        }
        spec.commandLine().getErr().println("report written to " + output);
    }

    private <T> T parse(Function<String, T> parser, String text) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Command(
            name = "watch",
            mixinStandardHelpOptions = true,
            description = "Sample every pgmq queue (pgmq.metrics_all() and how long the oldest visible message has"
                    + " been readable) into celery_pgmq.samples, the history behind consumer uptime and the backlog"
                    + " chart. Runs until stopped (SIGTERM/Ctrl-C) or for --duration.",
            footer = {
                "%nExamples:",
                "  celery-pgmq verify watch                         # every 10 s, until stopped",
                "  celery-pgmq verify watch --interval 5s --duration 1h",
                ExitCode.FOOTER
            })
    static final class Watch implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectionOptions options;

        @Option(
                names = "--interval",
                defaultValue = "10s",
                description = "Time between samples (default" + " ${DEFAULT-VALUE}).")
        String interval;

        @Option(
                names = "--duration",
                paramLabel = "DURATION",
                description = "Stop after this long (default: run" + " until stopped).")
        String duration;

        @Override
        public Integer call() {
            Duration every = duration("--interval", interval);
            Duration total = duration == null ? null : duration("--duration", duration);
            VerifierSettings settings = VerifierSettings.from(options.source());
            try (HikariDataSource db = Stores.postgres(options.connections(), "verify-watch")) {
                QueueWatch watch =
                        new QueueWatch(db, Clock.systemUTC(), Duration.ofDays(settings.sampleRetentionDays()));
                Thread stopper = new Thread(watch::stop, "verify-watch-stop");
                Runtime.getRuntime().addShutdownHook(stopper);
                int passes;
                try {
                    passes = watch.run(every, total);
                } finally {
                    removeHook(stopper);
                }
                PrintWriter out = spec.commandLine().getOut();
                out.println("verify watch: " + passes + " sample pass(es), " + watch.failedPasses() + " failed");
                out.flush();
                return watch.failedPasses() == passes ? ExitCode.CRASHED : ExitCode.OK;
            }
        }

        private Duration duration(String name, String text) {
            try {
                Duration d = Window.parseDuration(text);
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("must be more than 0");
                }
                return d;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), name + ": " + e.getMessage());
            }
        }

        private static void removeHook(Thread hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is stopping: the hook is what ended the watch.
            }
        }
    }
}
