package io.celerypgmq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CodecOptions;
import io.celerypgmq.bridge.codec.InspectView;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.codec.UndecodableMessageException;
import io.celerypgmq.bridge.inspect.PrintableKey;
import io.celerypgmq.bridge.ledger.QuarantineRelease;
import io.celerypgmq.bridge.ledger.QuarantineReleaseException;
import io.celerypgmq.bridge.ledger.QuarantineStore;
import io.celerypgmq.bridge.ledger.QuarantinedMessage;
import io.celerypgmq.bridge.ledger.ReleaseTarget;
import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.config.ConfigSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import redis.clients.jedis.JedisPooled;

/** {@code quarantine list|show|release}: what the bridge could not pass on, and sending it back once it can go. */
@Command(
        name = "quarantine",
        description = "Inspect quarantined messages (celery_pgmq.quarantine) and send a fixed or released one back"
                + " to its route, once, with an audit trail. Bodies are shown only by `show --decode` or `--raw`,"
                + " on stdout; pickle is never executed.",
        subcommands = {
            QuarantineCommand.ListQuarantine.class,
            QuarantineCommand.Show.class,
            QuarantineCommand.Release.class
        },
        footer = {
            "%nExamples:",
            "  celery-pgmq quarantine list --reason UNREVERSIBLE",
            "  celery-pgmq quarantine show 12 --decode",
            "  celery-pgmq quarantine release 12 --reason 'template added'",
            ExitCode.FOOTER
        })
final class QuarantineCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DETAIL_WIDTH = 80;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String shorten(String text, int width) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= width ? oneLine : oneLine.substring(0, width - 1) + "…";
    }

    @Command(
            name = "list",
            description = "List quarantined messages, most recently seen first (never their bytes); --released lists"
                    + " the audit trail of releases instead.",
            footer = {
                "%nExamples:",
                "  celery-pgmq quarantine list",
                "  celery-pgmq quarantine list --source pgmq: --limit 20",
                "  celery-pgmq quarantine list --released",
                ExitCode.FOOTER
            })
    static final class ListQuarantine implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectionOptions options;

        @Option(names = "--reason", paramLabel = "REASON", description = "Only this reason, e.g. UNREVERSIBLE.")
        String reason;

        @Option(
                names = "--source",
                paramLabel = "PREFIX",
                description = "Only sources starting so, e.g. pgmq: for the way back.")
        String source;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--released", description = "The releases done so far, newest first.")
        boolean released;

        @Override
        public Integer call() {
            if (limit < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (HikariDataSource db = Stores.postgres(options.connections(), "quarantine")) {
                QuarantineStore store = QuarantineStore.install(db);
                if (released) {
                    out.printf(
                            "%-6s %-6s %-20s %-28s %-28s %-10s %s%n",
                            "RELEASE", "ID", "REASON", "FROM", "TO", "BY", "AT");
                    for (QuarantineStore.Release r : store.releases(limit)) {
                        out.printf(
                                "%-6d %-6d %-20s %-28s %-28s %-10s %s%s%n",
                                r.id(),
                                r.quarantineId(),
                                r.reason(),
                                PrintableKey.of(r.sourceKey()),
                                PrintableKey.of(r.destination()),
                                r.releasedBy(),
                                r.releasedAt(),
                                r.why() == null ? "" : "  (" + r.why() + ")");
                    }
                } else {
                    out.printf(
                            "%-6s %-20s %-28s %7s %5s  %-24s %s%n",
                            "ID", "REASON", "SOURCE", "BYTES", "SEEN", "LAST SEEN", "DETAIL");
                    for (QuarantinedMessage q : store.list(new QuarantineStore.Filter(reason, source, limit))) {
                        out.printf(
                                "%-6d %-20s %-28s %7d %5d  %-24s %s%n",
                                q.id(),
                                q.reason(),
                                PrintableKey.of(q.sourceKey()),
                                q.size(),
                                q.seenCount(),
                                q.lastSeen(),
                                shorten(q.detail(), DETAIL_WIDTH));
                    }
                }
                out.flush();
                return ExitCode.OK;
            }
        }
    }

    @Command(
            name = "show",
            description = "One quarantined message: where it came from, why, how often. --decode prints the decoded"
                    + " Celery message (pickle is read as data, never executed); --raw prints its bytes as they are"
                    + " (base64 when they are not UTF-8), to fix them in a file for `release --replace-with`.",
            footer = {
                "%nExamples:",
                "  celery-pgmq quarantine show 12",
                "  celery-pgmq quarantine show 12 --decode",
                "  celery-pgmq quarantine show 12 --raw > fixed.json",
                ExitCode.FOOTER
            })
    static final class Show implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectionOptions options;

        @Mixin
        InspectCommand.KeyLayoutOptions layout;

        @Parameters(index = "0", paramLabel = "ID", description = "The quarantine id (quarantine list shows it).")
        long id;

        @Option(names = "--decode", description = "Also print the decoded message.")
        boolean decode;

        @Option(names = "--raw", description = "Print only the message's bytes.")
        boolean raw;

        @Override
        public Integer call() {
            ConfigSource source = options.source();
            PriorityKeys keys = layout.priorityKeys(source, spec);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (HikariDataSource db = Stores.postgres(options.connections(), "quarantine")) {
                QuarantineStore store = QuarantineStore.install(db);
                QuarantinedMessage q = store.find(id).orElse(null);
                if (q == null) {
                    err.println("celery-pgmq: no quarantined message #" + id
                            + store.releaseOf(id)
                                    .map(r -> " (released " + r.releasedAt() + " to " + PrintableKey.of(r.destination())
                                            + " by " + r.releasedBy() + ")")
                                    .orElse(""));
                    err.flush();
                    return ExitCode.USAGE;
                }
                if (raw) {
                    printRaw(q.raw(), out, err);
                    return ExitCode.OK;
                }
                out.println("id:          " + q.id());
                out.println("reason:      " + q.reason());
                out.println("detail:      " + q.detail());
                out.println("source:      " + PrintableKey.of(q.sourceKey()));
                out.println("fingerprint: " + q.fingerprint());
                out.println("identity:    " + (q.identity() == null ? "(none)" : q.identity()));
                out.println("bytes:       " + q.size());
                out.println("seen:        " + q.seenCount() + " time(s), first " + q.firstSeen() + ", last "
                        + q.lastSeen());
                if (decode) {
                    out.println("decoded:");
                    out.println(decoded(q, keys));
                }
                out.flush();
                return ExitCode.OK;
            }
        }

        private static String decoded(QuarantinedMessage q, PriorityKeys keys) {
            try {
                CeleryCodec codec = new CeleryCodec(CodecOptions.defaults().withPriorityKeys(keys));
                return JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(new InspectView(keys).json(codec.decode(q.raw(), q.sourceKey())));
            } catch (UndecodableMessageException e) {
                try {
                    JsonNode payload = JSON.readTree(q.raw());
                    return "(not a Celery message: " + e.reason() + "; the pgmq payload as JSON)\n"
                            + JSON.writerWithDefaultPrettyPrinter().writeValueAsString(payload);
                } catch (IOException notJson) {
                    return "(does not decode: " + e.reason() + ": " + e.detail() + ")";
                }
            } catch (IOException e) {
                return "(cannot print: " + e.getMessage() + ")";
            }
        }

        private static void printRaw(byte[] bytes, PrintWriter out, PrintWriter err) {
            try {
                out.print(StandardCharsets.UTF_8
                        .newDecoder()
                        .decode(ByteBuffer.wrap(bytes))
                        .toString());
            } catch (CharacterCodingException e) {
                err.println("celery-pgmq: the bytes are not UTF-8; printed as base64");
                out.println(Base64.getEncoder().encodeToString(bytes));
            }
            out.flush();
            err.flush();
        }
    }

    @Command(
            name = "release",
            description = "Send a quarantined message back to its route, once: a way-back quarantine (source"
                    + " pgmq:<queue>) to its pgmq queue, any other to the Redis list it came from, where the bridge"
                    + " routes it again; or where --to says. A message quarantined for an identity collision gets a"
                    + " new delivery tag. A message going to Redis must pass the Celery 5.2 validator. The quarantine"
                    + " row moves to the audit trail (quarantine list --released).",
            footer = {
                "%nExamples:",
                "  celery-pgmq quarantine release 12 --reason 'template added'",
                "  celery-pgmq quarantine release 13 --replace-with fixed.json --by alice",
                "  celery-pgmq quarantine release 14 --to redis:celery",
                ExitCode.FOOTER
            })
    static final class Release implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectionOptions options;

        @Parameters(index = "0", paramLabel = "ID", description = "The quarantine id (quarantine list shows it).")
        long id;

        @Option(
                names = "--to",
                paramLabel = "TARGET",
                description = "redis:<list> or pgmq:<queue> (default: where it came from).")
        String to;

        @Option(
                names = "--replace-with",
                paramLabel = "FILE",
                description = "Send this file's bytes (a fixed message) instead of the quarantined ones.")
        Path replaceWith;

        @Option(names = "--new-delivery-tag", description = "Give it a new delivery tag (automatic for collisions).")
        boolean newDeliveryTag;

        @Option(names = "--reason", description = "Why, for the audit trail.")
        String reason;

        @Option(names = "--by", description = "Who, for the audit trail (default: $USER).")
        String by;

        @Override
        public Integer call() {
            ReleaseTarget target;
            byte[] replacement;
            try {
                target = to == null ? null : ReleaseTarget.parse(to);
                replacement = replaceWith == null ? null : Files.readAllBytes(replaceWith);
            } catch (IllegalArgumentException | IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            ConfigSource source = options.source();
            String unacked = PriorityKeys.defaults()
                    .withGlobalKeyPrefix(source.get(BridgeSettings.GLOBAL_KEYPREFIX))
                    .unackedKey();
            String who = by != null ? by : System.getProperty("user.name", "unknown");
            PrintWriter out = spec.commandLine().getOut();
            JedisPooled[] redis = new JedisPooled[1];
            try (HikariDataSource db = Stores.postgres(options.connections(), "quarantine")) {
                QuarantineStore.install(db);
                QuarantineRelease.Released r = new QuarantineRelease(
                                db,
                                () -> redis[0] != null ? redis[0] : (redis[0] = Stores.redis(options.connections())),
                                unacked)
                        .release(new QuarantineRelease.Request(id, target, replacement, newDeliveryTag, who, reason));
                out.println("released quarantined message #" + id + " ("
                        + r.message().reason() + ", from "
                        + PrintableKey.of(r.message().sourceKey()) + ") to "
                        + PrintableKey.of(r.target().toString())
                        + (r.pgmqMsgId() == null ? "" : " as msg_id " + r.pgmqMsgId())
                        + (r.newIdentity() == null ? "" : " with the new delivery tag " + r.newIdentity())
                        + (replacement == null ? "" : ", replaced by " + replaceWith)
                        + (r.pushedEarlier() ? " (its push had already happened in an earlier attempt)" : ""));
                out.println("audited as release #" + r.releaseId() + " by " + who
                        + "; `celery-pgmq quarantine list --released` shows it");
                out.flush();
                return ExitCode.OK;
            } catch (QuarantineReleaseException e) {
                spec.commandLine().getErr().println("celery-pgmq: not released: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return ExitCode.USAGE;
            } finally {
                if (redis[0] != null) {
                    redis[0].close();
                }
            }
        }
    }
}
