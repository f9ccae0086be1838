package io.celerypgmq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.inspect.RedisKeyspace;
import io.celerypgmq.bridge.inspect.TaskCensus;
import io.celerypgmq.bridge.route.RouteStore;
import io.celerypgmq.bridge.status.CensusStore;
import io.celerypgmq.bridge.status.StatusBoard;
import io.celerypgmq.bridge.status.StatusJson;
import io.celerypgmq.bridge.status.StatusSnapshot;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.replay.ReplayContext;
import io.celerypgmq.rollout.RolloutSettings;
import io.celerypgmq.rollout.RolloutStepsView;
import io.celerypgmq.verifier.Window;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import redis.clients.jedis.JedisPooled;

/** {@code status [--watch]}: one line per task type, redrawn in place on a terminal, plain lines when piped. */
@Command(
        name = "status",
        description = "One line per task type: route state (celery, shadow, ramping N %, pgmq, draining, drained),"
                + " rollout step and time to its next gate, and on each side (Celery's Redis, pgmq) the messages per"
                + " second going in, the backlog and the lag (how long the oldest waiting message has waited).",
        footer = {
            "%nExamples:%n  celery-pgmq status%n  celery-pgmq status --watch --interval 2s%n  celery-pgmq status --json",
            "%nThe Celery side is counted by the bridge holding the rollout lease (rollout.census-interval-seconds);"
                    + " without a fresh count this command counts Redis itself. Celery messages carry no enqueue"
                    + " time, so their lag is measured from when a count first saw them (≥ marks a lower bound).",
            ExitCode.FOOTER
        })
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConnectionOptions options;

    @Option(
            names = "--watch",
            description = "Refresh until Ctrl-C: redrawn in place on a terminal, plain lines when" + " piped.")
    boolean watch;

    @Option(
            names = "--interval",
            defaultValue = "2s",
            description = "Time between refreshes (default ${DEFAULT-VALUE}).")
    String interval;

    @Option(
            names = "--count",
            defaultValue = "0",
            description = "With --watch: stop after this many refreshes (0: never).")
    int count;

    @Option(names = "--json", description = "One JSON document per refresh.")
    boolean json;

    @Option(names = "--redraw", hidden = true, description = "Redraw in place even when not on a terminal.")
    boolean forceRedraw;

    @Override
    public Integer call() throws InterruptedException {
        Duration every;
        try {
            every = Window.parseDuration(interval);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (every.toMillis() < 100 || count < 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--interval must be at least 100ms and --count not negative");
        }
        ConfigSource source = options.source();
        Clock clock = Clock.systemUTC();
        var connections = options.connections();
        try (HikariDataSource db = Stores.postgres(connections, "status");
                JedisPooled redis = Stores.redis(connections)) {
            var rollouts = RolloutCommand.queries(db);
            ReplayContext ctx = ReplayContext.from(source, db, redis, clock);
            RolloutSettings settings = RolloutSettings.from(source);
            CensusStore stored = new CensusStore(db);
            TaskCensus own = new TaskCensus(
                    redis,
                    new RedisKeyspace(redis, ctx.keys()),
                    List.of(),
                    settings.censusMaxPerQueue(),
                    ctx.codec(),
                    clock);
            Duration fresh = settings.censusInterval().multipliedBy(3);
            StatusBoard board = new StatusBoard(
                    db,
                    new RouteStore(db)::load,
                    () -> stored.latest()
                            .filter(s -> !s.result()
                                    .checkedAt()
                                    .isBefore(clock.instant().minus(fresh)))
                            .orElseGet(() -> new CensusStore.Stored(own.take(), "this command")),
                    new RolloutStepsView(rollouts),
                    clock);
            PrintWriter out = spec.commandLine().getOut();
            StatusScreen screen = new StatusScreen(out, watch && (forceRedraw || System.console() != null), json);
            for (int n = 1; ; n++) {
                StatusSnapshot s = board.read();
                if (json) {
                    out.println(StatusJson.of(s));
                    out.flush();
                } else {
                    screen.draw(s, watch);
                }
                if (!watch || (count > 0 && n >= count)) {
                    return ExitCode.OK;
                }
                Thread.sleep(every.toMillis());
            }
        }
    }
}
