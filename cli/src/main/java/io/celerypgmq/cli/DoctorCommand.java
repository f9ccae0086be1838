package io.celerypgmq.cli;

import io.celerypgmq.bridge.doctor.Doctor;
import io.celerypgmq.bridge.doctor.DoctorOptions;
import io.celerypgmq.bridge.doctor.DoctorReport;
import io.celerypgmq.bridge.route.KombuQueueNames;
import io.celerypgmq.config.ConfigSource;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code doctor}: everything that would break or bite a migration, each with a fix; exit 1 on any error. */
@Command(
        name = "doctor",
        description = "Check Redis, Postgres and pgmq, and what sits in Celery's queues, for what would break a"
                + " migration: store reachability and versions, pgmq >= 1.5, permissions, queue names pgmq cannot"
                + " take (over 47 characters, forbidden characters), ETAs beyond the visibility timeout (tasks run"
                + " twice), missing, stale or shared _kombu.binding.* keys, mixed task protocols, clock skew; for"
                + " Celery workers on kombu's pgmq:// transport: tasks with expires (kombu delays them by it), ETAs"
                + " and time limits beyond its visibility timeout, queue names kombu renames, kombu routes without"
                + " delete tracking. Read-only.",
        footer = {
            "%nExamples:",
            "  celery-pgmq doctor",
            "  celery-pgmq doctor --visibility-timeout 43200 --json",
            "  celery-pgmq doctor --pgmq-visibility-timeout 3600 --kombu-queue-prefix prod-",
            "%nExit codes for doctor: 0 no finding is an error (warnings allowed), 1 at least one error (an"
                    + " unreachable Redis or Postgres included), 2 usage error, 4 crashed.",
        })
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConnectionOptions options;

    @Mixin
    InspectCommand.KeyLayoutOptions layout;

    @Option(names = "--json", description = "One JSON object: counts and every finding.")
    boolean json;

    @Option(
            names = "--visibility-timeout",
            paramLabel = "SECONDS",
            defaultValue = "" + DoctorOptions.DEFAULT_VISIBILITY_TIMEOUT,
            description = "Celery's broker_transport_options visibility_timeout (default ${DEFAULT-VALUE}).")
    int visibilityTimeout;

    @Option(
            names = "--pgmq-visibility-timeout",
            paramLabel = "SECONDS",
            defaultValue = "" + DoctorOptions.DEFAULT_PGMQ_VISIBILITY_TIMEOUT,
            description =
                    "The visibility_timeout of your Celery workers on pgmq:// (kombu's default" + " ${DEFAULT-VALUE}).")
    int pgmqVisibilityTimeout;

    @Option(
            names = "--kombu-queue-prefix",
            paramLabel = "PREFIX",
            description = "The queue_name_prefix of your Celery workers on pgmq:// (default: kombu.queue-name-prefix).")
    String kombuPrefix;

    @Option(
            names = "--consumer-sample",
            paramLabel = "MILLIS",
            defaultValue = "2000",
            description = "How long to watch queues with a backlog for a consumer (default ${DEFAULT-VALUE} ms).")
    long consumerSampleMillis;

    @Option(
            names = "--max-messages",
            defaultValue = "" + DoctorOptions.DEFAULT_MAX_MESSAGES,
            description = "Stop reading messages after this many, 0 for all (default ${DEFAULT-VALUE}).")
    long maxMessages;

    @Override
    public Integer call() {
        ConfigSource source = options.source();
        DoctorOptions doctor;
        try {
            doctor = DoctorOptions.defaults(layout.priorityKeys(source, spec))
                    .withVisibilityTimeout(visibilityTimeout)
                    .withConsumerSample(Duration.ofMillis(consumerSampleMillis))
                    .withMaxMessages(maxMessages)
                    .withCeleryOnPgmq(
                            pgmqVisibilityTimeout,
                            kombuPrefix != null ? new KombuQueueNames(kombuPrefix) : KombuQueueNames.from(source));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        DoctorReport report = new Doctor(doctor, Clock.systemUTC()).examine(options.connections());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(report.json());
        } else {
            report.text().forEach(out::println);
        }
        out.flush();
        return report.hasErrors() ? ExitCode.VERIFICATION_FAILED : ExitCode.OK;
    }
}
