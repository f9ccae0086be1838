package io.celerypgmq.cli;

import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CodecOptions;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.inspect.InspectFormat;
import io.celerypgmq.bridge.inspect.InspectOptions;
import io.celerypgmq.bridge.inspect.InspectSummary;
import io.celerypgmq.bridge.inspect.KeyLayout;
import io.celerypgmq.bridge.inspect.QueueInspector;
import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.config.ConfigSource;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import redis.clients.jedis.JedisPooled;

/** {@code inspect}: decode what sits in Celery's Redis today, without taking anything. */
@Command(
        name = "inspect",
        description = "Decode the messages waiting in Celery's Redis queues, their priority lists and the unacked"
                + " hash, without consuming anything (LRANGE/HSCAN only), then count them per task name.",
        footer = {
            "%nExamples:",
            "  celery-pgmq inspect                        # every queue found, text",
            "  celery-pgmq inspect celery q_reports --json --limit 100",
            "  celery-pgmq inspect --global-keyprefix 'pfx:' --priority-steps 0,1,2,3,4,5,6,7,8,9 --sep ':'",
            "%nWith --json, stdout holds one JSON object per message (Celery's field names: queue, key, protocol,"
                    + " content_type, compression, delivery_tag, task, id, args, kwargs, eta, expires, retries,"
                    + " priority, root_id, parent_id, group, group_index, timelimit, callbacks, errbacks, chain,"
                    + " chord, headers, plus size), or {\"key\", \"error\", \"reason\"} for one that does not"
                    + " decode; the counts go to stderr.",
            ExitCode.FOOTER
        })
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConnectionOptions options;

    @Mixin
    KeyLayoutOptions layout;

    @Parameters(paramLabel = "QUEUE", arity = "0..*", description = "Queues to read (default: every queue found).")
    List<String> queues = List.of();

    @Option(names = "--json", description = "One JSON object per message.")
    boolean json;

    @Option(names = "--limit", defaultValue = "0", description = "Stop after this many messages (0: all).")
    long limit;

    @Option(names = "--no-unacked", description = "Leave the unacked hash out.")
    boolean noUnacked;

    @Option(
            names = "--page-size",
            defaultValue = "500",
            description = "Elements per LRANGE/HSCAN call (default ${DEFAULT-VALUE}).")
    int pageSize;

    @Override
    public Integer call() {
        ConfigSource source = options.source();
        PriorityKeys keys = layout.priorityKeys(source, spec);
        InspectOptions inspect;
        try {
            inspect = new InspectOptions(keys, queues, !noUnacked, limit, pageSize);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InspectFormat format = new InspectFormat(keys);
        CeleryCodec codec = new CeleryCodec(CodecOptions.defaults().withPriorityKeys(keys));
        try (JedisPooled redis = Stores.redis(options.connections())) {
            InspectSummary summary = new QueueInspector(redis, codec, inspect).run(m -> {
                out.println(json ? format.json(m) : format.text(m));
                return !out.checkError();
            });
            PrintWriter counts = json ? err : out;
            format.summary(summary).forEach(counts::println);
            out.flush();
            err.flush();
        }
        return ExitCode.OK;
    }

    /** Celery's key layout: priority steps, separator, global key prefix; from flags, else the configuration. */
    static final class KeyLayoutOptions {
        @Option(
                names = "--priority-steps",
                paramLabel = "STEPS",
                description = "Celery's priority_steps, e.g. 0,3,6,9 (default: bridge.priority-steps).")
        String steps;

        @Option(
                names = "--sep",
                paramLabel = "SEP",
                description = "Celery's priority separator; \\x escapes allowed (default: bridge.priority-separator).")
        String separator;

        @Option(
                names = "--global-keyprefix",
                paramLabel = "PREFIX",
                description = "Celery's global_keyprefix (default: bridge.global-keyprefix).")
        String globalKeyPrefix;

        PriorityKeys priorityKeys(ConfigSource source, CommandLine.Model.CommandSpec spec) {
            try {
                return KeyLayout.parse(
                        steps != null ? steps : source.get(BridgeSettings.PRIORITY_STEPS),
                        separator != null ? separator : source.get(BridgeSettings.PRIORITY_SEPARATOR),
                        globalKeyPrefix != null ? globalKeyPrefix : source.get(BridgeSettings.GLOBAL_KEYPREFIX));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
    }
}
