package io.celerypgmq.bridge.status;

import io.celerypgmq.bridge.ledger.LedgerException;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Reads the status of every task type: routes, the bridge's flow counters, pgmq's queues, the latest Redis census and
 * the running rollouts, assembled by {@link StatusRows}. Read-only; one connection per read.
 */
public final class StatusBoard {
    private final DataSource db;
    private final Supplier<RouteTable> routes;
    private final CensusSource census;
    private final RolloutSteps rollouts;
    private final Clock clock;

    /** Where the board finds the latest census: the stored one, or one this process takes itself. */
    @FunctionalInterface
    public interface CensusSource {
        /** The census with who took it, or {@code null} when there is none. */
        CensusStore.Stored latest();
    }

    public StatusBoard(
            DataSource db, Supplier<RouteTable> routes, CensusSource census, RolloutSteps rollouts, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.census = Objects.requireNonNull(census, "census");
        this.rollouts = Objects.requireNonNull(rollouts, "rollouts");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public StatusSnapshot read() {
        Instant now = clock.instant();
        RouteTable table = routes.get();
        Set<String> queues = new TreeSet<>();
        table.routes().stream().map(Route::pgmqQueue).filter(Objects::nonNull).forEach(queues::add);
        Map<String, FlowRates.Rate> rates;
        PgmqTaskBacklog.Read pgmq;
        try (Connection c = db.getConnection()) {
            rates = FlowRates.read(c, now);
            pgmq = PgmqTaskBacklog.read(c, queues);
        } catch (SQLException e) {
            throw new LedgerException("reading the status of task types", e);
        }
        CensusStore.Stored taken = census.latest();
        Map<String, RolloutSteps.Step> steps = rollouts.current();
        Set<String> tasks = new TreeSet<>();
        table.routes().stream().filter(r -> !r.isGlob()).map(Route::taskPattern).forEach(tasks::add);
        tasks.addAll(rates.keySet());
        pgmq.rows().forEach(r -> tasks.add(r.task()));
        if (taken != null) {
            taken.result().counts().forEach(n -> tasks.add(n.task()));
        }
        tasks.addAll(steps.keySet());
        StatusRows rows =
                new StatusRows(rates, pgmq.rows(), taken == null ? null : taken.result(), steps, pgmq.queues());
        List<TaskStatus> out = new ArrayList<>();
        for (String task : tasks) {
            out.add(rows.task(task, table.routeFor(task)));
        }
        return new StatusSnapshot(
                now,
                out,
                rows.queues(),
                taken == null ? null : taken.result().checkedAt(),
                taken == null ? null : taken.by());
    }
}
