package io.celerypgmq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.route.KombuQueueNames;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.ConnectionSettings;
import io.celerypgmq.replay.CancelToken;
import io.celerypgmq.replay.DrainSpec;
import io.celerypgmq.replay.JobBusyException;
import io.celerypgmq.replay.NoDestinationException;
import io.celerypgmq.replay.PgmqToRedisReplay;
import io.celerypgmq.replay.Progress;
import io.celerypgmq.replay.QueueRestore;
import io.celerypgmq.replay.QueueSnapshot;
import io.celerypgmq.replay.RedisToPgmqDrain;
import io.celerypgmq.replay.Redrive;
import io.celerypgmq.replay.RedriveSpec;
import io.celerypgmq.replay.ReplayContext;
import io.celerypgmq.replay.ReplayFilter;
import io.celerypgmq.replay.ReplayReport;
import io.celerypgmq.replay.ReverseSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import redis.clients.jedis.JedisPooled;

/** {@code celery-pgmq replay ...}: drain leftovers at cutover and rollback as safe, resumable, rate-limited moves. */
@Command(
        name = "replay",
        description = "Move what is left at cutover or rollback: Celery's Redis → pgmq, pgmq → Celery, a DLQ back to"
                + " its queue, and snapshots of Redis queues. Every move is resumable (run the same command again"
                + " after a crash), rate-limited, and previewable with --dry-run.",
        subcommands = {
            ReplayCommand.RedisToPgmq.class,
            ReplayCommand.PgmqToRedis.class,
            ReplayCommand.RedriveCmd.class,
            ReplayCommand.Snapshot.class,
            ReplayCommand.Restore.class
        },
        footer = {
            "%nExamples:",
            "  celery-pgmq replay redis-to-pgmq --celery-queue celery --queue user_tasks --dry-run",
            "  celery-pgmq replay pgmq-to-redis --queue user_tasks --celery-queue celery",
            "%n" + ReplayCommand.EXIT_CODES
        })
final class ReplayCommand implements Runnable {
    static final String EXIT_CODES = "Exit codes: 0 done, everything selected is where it belongs; 1 done or"
            + " cancelled, but something was quarantined or left behind (the report says what and why; a dry run"
            + " exits 1 when the real run would); 2 usage error (also: task types without a destination);"
            + " 3 cannot start (Redis/Postgres unreachable, the job is running elsewhere); 4 crashed (run the same"
            + " command again: it resumes).";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every move shares: filters, limits, pacing, preview, output. */
    static final class Common {
        @Option(names = "--task", paramLabel = "GLOB", description = "Only task names matching (repeatable).")
        List<String> tasks = new ArrayList<>();

        @Option(names = "--task-id", paramLabel = "ID", description = "Only these task ids (repeatable).")
        List<String> taskIds = new ArrayList<>();

        @Option(
                names = "--older-than",
                paramLabel = "AGE",
                converter = AgeConverter.class,
                description = "Only messages at least this old, e.g. 90s, 10m, 2h, 1d (unacked: delivery time;"
                        + " pgmq: enqueue time).")
        Duration olderThan;

        @Option(names = "--limit", paramLabel = "N", description = "Stop after N messages.")
        long limit;

        @Option(names = "--batch-size", paramLabel = "N", description = "Messages per transaction.")
        int batchSize;

        @Option(names = "--rate", paramLabel = "MSG/S", description = "At most this many messages per second.")
        int rate;

        @Option(names = "--dry-run", description = "Only look (peeks, plain SELECTs); change nothing anywhere.")
        boolean dryRun;

        @Option(names = "--job", paramLabel = "ID", description = "Job id (default: derived from the options).")
        String job;

        @Option(names = "--json", description = "Print the final report as JSON.")
        boolean json;

        ReplayFilter filter() {
            return new ReplayFilter(tasks, new LinkedHashSet<>(taskIds), olderThan);
        }
    }

    /** The shared run: open the stores, cancel cleanly on Ctrl-C/SIGTERM, print the report, pick the exit code. */
    abstract static class Job implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectionOptions options;

        @Mixin
        Common common;

        abstract ReplayReport execute(ReplayContext ctx, CancelToken cancel, Progress progress);

        abstract String title();

        @Override
        public Integer call() {
            ConfigSource config = options.source();
            ConnectionSettings connections = ConnectionSettings.from(config);
            CancelToken cancel = new CancelToken();
            AtomicInteger exit = new AtomicInteger(ExitCode.CRASHED);
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(() -> cancelAndWait(cancel, finished, exit), "replay-cancel");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                exit.set(runJob(config, connections, cancel));
                return exit.get();
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it waits for us and exits with our code
                }
            }
        }

        private int runJob(ConfigSource config, ConnectionSettings connections, CancelToken cancel) {
            try (HikariDataSource db = Stores.postgres(connections, "replay");
                    JedisPooled redis = Stores.redis(connections)) {
                ReplayContext ctx = ReplayContext.from(config, db, redis, Clock.systemUTC());
                PrintStream err = System.err;
                ReplayReport report;
                try (Progress progress = Progress.forConsole(
                        title(), err, System.console() != null, ctx.settings().progressInterval(), ctx.clock())) {
                    report = execute(ctx, cancel, progress);
                } catch (NoDestinationException | IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
                } catch (JobBusyException e) {
                    throw new CannotStartException(e.getMessage(), e);
                }
                var out = spec.commandLine().getOut();
                out.print(common.json ? report.toJson() + "\n" : report.toText());
                out.flush();
                return report.clean() ? ExitCode.OK : ExitCode.VERIFICATION_FAILED;
            }
        }

        /** Ctrl-C or SIGTERM: ask the job to stop after its batch, then exit with its code once it printed. */
        private static void cancelAndWait(CancelToken cancel, CountDownLatch finished, AtomicInteger exit) {
            if (finished.getCount() == 0) {
                return;
            }
            cancel.cancel();
            try {
                if (finished.await(60, TimeUnit.SECONDS)) {
                    Runtime.getRuntime().halt(exit.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Command(
            name = "redis-to-pgmq",
            description = "Cutover: move Celery's leftovers from Redis into pgmq through the bridge's codec, routes,"
                    + " payloads, ledger and quarantine: ready lists with their priority lists, and the unacked entries"
                    + " of workers that are gone (delivered longer ago than the visibility timeout, or all of them with"
                    + " --workers-stopped). ETAs become pgmq delays. Exits when the sources are drained.",
            footer = {
                "%nExamples:",
                "  celery-pgmq replay redis-to-pgmq --celery-queue celery --queue user_tasks --dry-run",
                "  celery-pgmq replay redis-to-pgmq --celery-queue celery --queue user_tasks --workers-stopped --rate 2000",
                "%n" + EXIT_CODES
            })
    static final class RedisToPgmq extends Job {
        @Option(
                names = {"-q", "--queue"},
                paramLabel = "PGMQ_QUEUE",
                description = "pgmq queue for task types whose route names none (without it, such task types stop"
                        + " the drain with a list of them).")
        String queue;

        @Option(
                names = "--format",
                paramLabel = "FORMAT",
                defaultValue = "task",
                description = "Payload format with --queue: kombu, task or template (default ${DEFAULT-VALUE}). With"
                        + " kombu, --queue is the Celery queue your pgmq:// workers consume, written to kombu's name"
                        + " for it.")
        String format;

        @Option(
                names = "--kombu-queue-prefix",
                paramLabel = "PREFIX",
                description =
                        "With --format kombu: your workers' queue_name_prefix (default: kombu.queue-name-prefix).")
        String kombuPrefix;

        @Option(
                names = {"-s", "--celery-queue"},
                paramLabel = "QUEUE",
                description = "Celery queue to drain, priority lists included (repeatable; default celery).")
        List<String> celeryQueues = new ArrayList<>();

        @ArgGroup(exclusive = true)
        Sources sources;

        static final class Sources {
            @Option(names = "--only-lists", description = "Leave unacked alone.")
            boolean onlyLists;

            @Option(names = "--only-unacked", description = "Leave the lists alone.")
            boolean onlyUnacked;
        }

        @Option(
                names = "--workers-stopped",
                description = "Every Celery worker is stopped: take every unacked entry, however recent.")
        boolean workersStopped;

        @Option(
                names = "--visibility-timeout",
                paramLabel = "SECONDS",
                description = "Celery's broker visibility_timeout (default: replay.visibility-timeout-seconds).")
        Integer visibilityTimeout;

        @Option(names = "--follow", description = "Keep draining new arrivals until Ctrl-C.")
        boolean follow;

        @Option(names = "--snapshot", paramLabel = "FILE", description = "First write a snapshot of the queues.")
        Path snapshot;

        @Override
        String title() {
            return "redis-to-pgmq";
        }

        @Override
        ReplayReport execute(ReplayContext ctx, CancelToken cancel, Progress progress) {
            List<String> queues = celeryQueues.isEmpty() ? List.of("celery") : celeryQueues;
            PayloadFormat payloads = PayloadFormat.parse(format);
            String pgmqQueue = queue;
            if (queue != null && payloads == PayloadFormat.KOMBU) {
                KombuQueueNames names =
                        kombuPrefix != null ? new KombuQueueNames(kombuPrefix) : KombuQueueNames.from(options.source());
                pgmqQueue = names.pgmqName(queue);
                if (!pgmqQueue.equals(queue)) {
                    System.err.println(
                            "Celery queue " + queue + " is pgmq queue " + pgmqQueue + " for kombu's pgmq transport");
                }
            }
            DrainSpec spec = new DrainSpec(
                    common.job,
                    queues,
                    pgmqQueue,
                    payloads,
                    sources == null || !sources.onlyUnacked,
                    sources == null || !sources.onlyLists,
                    workersStopped,
                    visibilityTimeout == null ? null : Duration.ofSeconds(visibilityTimeout),
                    common.filter(),
                    common.limit,
                    common.batchSize,
                    common.rate,
                    follow,
                    common.dryRun);
            if (snapshot != null) {
                ReplayReport s = new QueueSnapshot(ctx).write(queues, spec.unacked(), snapshot, Progress.NONE);
                System.err.println("snapshot of " + s.moved() + " messages written to " + snapshot);
            }
            return new RedisToPgmqDrain(ctx, spec).run(cancel, progress);
        }
    }

    @Command(
            name = "pgmq-to-redis",
            description = "Rollback: move pending pgmq messages back into Celery lists, rebuilt and validated as the"
                    + " reverse bridge does, pushed once only (idempotency marker) and archived in pgmq after the push."
                    + " Delayed (ETA) messages go too; Celery keeps their ETA. Messages a running pgmq consumer holds"
                    + " stay; once every consumer is stopped, --consumers-stopped takes them too.",
            footer = {
                "%nExamples:",
                "  celery-pgmq replay pgmq-to-redis --queue user_tasks --dlq --celery-queue celery",
                "  celery-pgmq replay pgmq-to-redis --queue user_tasks --consumers-stopped   # after stopping every"
                        + " consumer",
                "%n" + EXIT_CODES
            })
    static final class PgmqToRedis extends Job {
        @Option(
                names = {"-q", "--queue"},
                required = true,
                paramLabel = "PGMQ_QUEUE",
                description = "pgmq queue to move back.")
        String queue;

        @Option(names = "--dlq", description = "Also move <queue>_dlq.")
        boolean dlq;

        @Option(
                names = {"-s", "--celery-queue"},
                paramLabel = "QUEUE",
                description = "Celery queue to push to (default: the queue each message came from).")
        String celeryQueue;

        @Option(names = "--follow", description = "Keep moving new arrivals until Ctrl-C.")
        boolean follow;

        @Option(
                names = "--consumers-stopped",
                description = "Every consumer of the queue is stopped: take also the messages they had read and hold"
                        + " until their visibility timeout passes (kombu's pgmq transport does not give them back at"
                        + " shutdown; its timeout is 1800 s by default). Only with every consumer stopped: a running"
                        + " one may still be working on such a message, which would then run twice.")
        boolean consumersStopped;

        @Override
        String title() {
            return "pgmq-to-redis";
        }

        @Override
        ReplayReport execute(ReplayContext ctx, CancelToken cancel, Progress progress) {
            ReverseSpec spec = new ReverseSpec(
                    common.job,
                    queue,
                    dlq,
                    celeryQueue,
                    common.filter(),
                    common.limit,
                    common.batchSize,
                    common.rate,
                    follow,
                    common.dryRun,
                    consumersStopped);
            return new PgmqToRedisReplay(ctx, spec).run(cancel, progress);
        }
    }

    @Command(
            name = "redrive",
            description = "Move messages from a pgmq dead-letter queue back to its queue (or to Celery), one"
                    + " transaction per batch, each move recorded in celery_pgmq.redrive_log.",
            footer = {
                "%nExamples:",
                "  celery-pgmq replay redrive --queue user_tasks            # user_tasks_dlq → user_tasks",
                "  celery-pgmq replay redrive --dlq user_tasks_dlq --to-celery celery --task 'reports.*'",
                "%n" + EXIT_CODES
            })
    static final class RedriveCmd extends Job {
        @Option(
                names = {"-q", "--queue"},
                paramLabel = "PGMQ_QUEUE",
                description = "Redrive <queue>_dlq to it.")
        String queue;

        @Option(
                names = "--dlq",
                paramLabel = "PGMQ_QUEUE",
                description = "The dead-letter queue (default <queue>_dlq).")
        String dlq;

        @Option(names = "--to-celery", paramLabel = "QUEUE", description = "Send them to this Celery queue instead.")
        String toCelery;

        @Override
        String title() {
            return "redrive";
        }

        @Override
        ReplayReport execute(ReplayContext ctx, CancelToken cancel, Progress progress) {
            if (queue == null && dlq == null) {
                throw new IllegalArgumentException("name the queue (--queue) or the dead-letter queue (--dlq)");
            }
            String from = dlq != null ? dlq : queue + RedriveSpec.DLQ_SUFFIX;
            String to = toCelery != null ? null : queue != null ? queue : stripDlq(from);
            RedriveSpec spec = new RedriveSpec(
                    common.job,
                    from,
                    to,
                    toCelery,
                    common.filter(),
                    common.limit,
                    common.batchSize,
                    common.rate,
                    common.dryRun);
            return new Redrive(ctx, spec).run(cancel, progress);
        }

        private static String stripDlq(String dlq) {
            if (!dlq.endsWith(RedriveSpec.DLQ_SUFFIX)) {
                throw new IllegalArgumentException("cannot tell the target of " + dlq + "; pass --queue");
            }
            return dlq.substring(0, dlq.length() - RedriveSpec.DLQ_SUFFIX.length());
        }
    }

    @Command(
            name = "snapshot",
            description = "Write what is left of Celery queues (lists, priority lists, unacked entries) to a JSON Lines"
                    + " file: exact bytes, key, identity. Read only.",
            footer = {
                "%nExample:",
                "  celery-pgmq replay snapshot --celery-queue celery --out leftovers.jsonl",
                "%n" + EXIT_CODES
            })
    static final class Snapshot implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectionOptions options;

        @Option(
                names = {"-s", "--celery-queue"},
                paramLabel = "QUEUE",
                description = "Celery queue (repeatable; default celery).")
        List<String> celeryQueues = new ArrayList<>();

        @Option(names = "--no-unacked", description = "Leave unacked entries out.")
        boolean noUnacked;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The snapshot file.")
        Path out;

        @Option(names = "--json", description = "Print the report as JSON.")
        boolean json;

        @Override
        public Integer call() {
            return withContext(
                    options,
                    ctx -> new QueueSnapshot(ctx)
                            .write(
                                    celeryQueues.isEmpty() ? List.of("celery") : celeryQueues,
                                    !noUnacked,
                                    out,
                                    Progress.NONE),
                    spec,
                    json);
        }
    }

    @Command(
            name = "restore",
            description = "Put a snapshot back into Redis. Skips messages already in Redis, already restored from this"
                    + " snapshot, or (unless --include-moved) already moved to pgmq, so running it twice is safe.",
            footer = {"%nExample:", "  celery-pgmq replay restore --in leftovers.jsonl --dry-run", "%n" + EXIT_CODES})
    static final class Restore implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectionOptions options;

        @Option(names = "--in", required = true, paramLabel = "FILE", description = "The snapshot file.")
        Path in;

        @Option(names = "--include-moved", description = "Also restore messages the ledger shows in pgmq.")
        boolean includeMoved;

        @Option(names = "--dry-run", description = "Only count what would be restored.")
        boolean dryRun;

        @Option(names = "--json", description = "Print the report as JSON.")
        boolean json;

        @Override
        public Integer call() {
            return withContext(
                    options, ctx -> new QueueRestore(ctx).restore(in, includeMoved, dryRun, Progress.NONE), spec, json);
        }
    }

    private static int withContext(
            ConnectionOptions options,
            java.util.function.Function<ReplayContext, ReplayReport> work,
            CommandLine.Model.CommandSpec spec,
            boolean json) {
        ConfigSource config = options.source();
        ConnectionSettings connections = ConnectionSettings.from(config);
        try (HikariDataSource db = Stores.postgres(connections, "replay");
                JedisPooled redis = Stores.redis(connections)) {
            ReplayReport report;
            try {
                report = work.apply(ReplayContext.from(config, db, redis, Clock.systemUTC()));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            var out = spec.commandLine().getOut();
            out.print(json ? report.toJson() + "\n" : report.toText());
            out.flush();
            return report.clean() ? ExitCode.OK : ExitCode.VERIFICATION_FAILED;
        }
    }

    /** {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d}, or ISO-8601 {@code PT10M}. */
    static final class AgeConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            try {
                if (t.startsWith("p")) {
                    return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
                }
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                return switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default -> throw new CommandLine.TypeConversionException("expected e.g. 90s, 10m, 2h, 1d: " + text);
                };
            } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
                throw new CommandLine.TypeConversionException("expected e.g. 90s, 10m, 2h, 1d: " + text);
            }
        }
    }
}
