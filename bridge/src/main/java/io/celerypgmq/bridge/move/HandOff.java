package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.ledger.Ledger;
import io.celerypgmq.bridge.ledger.LedgerEntry;
import io.celerypgmq.bridge.ledger.LedgerException;
import io.celerypgmq.bridge.ledger.Quarantine;
import io.celerypgmq.bridge.ledger.QuarantineEntry;
import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.store.SqlFailure;
import io.celerypgmq.config.OneLine;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one plan to Postgres: per queue and delay, one statement that calls {@code pgmq.send_batch} and inserts the
 * ledger rows with their msg_ids, then the expired entries' rows, the quarantine rows and the flow counts, all in one
 * transaction. Only after this commits may the messages leave Redis.
 *
 * <p>The plan assumes the identities it sends are new. One the ledger has already fails the statement with
 * {@code unique_violation} and rolls the transaction back, send included ({@link IdentityTaken}): the caller decides
 * again with what the ledger recorded. A write that fails on the data (a NUL Postgres cannot store, a message too slow
 * for {@code statement_timeout}: {@link SqlFailure.Kind#DATA}) is narrowed down ({@link PoisonSearch}) to the messages
 * that fail alone; those are quarantined with the reason and the rest are written. A pgmq queue dropped under the
 * running bridge is created again. Anything else is the store's failure and is thrown: the batch stays in flight.
 */
final class HandOff {
    private static final Logger LOG = LoggerFactory.getLogger(HandOff.class);

    /** What the writes did. */
    record Result(int sent, int expired, List<QuarantineEntry> poisoned, Set<Outgoing> poisonedItems) {}

    /** The ledger has one of the plan's identities: nothing of the attempt was kept. */
    static final class IdentityTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        IdentityTaken() {
            super("an identity of the batch is in the ledger already", null, false, false);
        }
    }

    private record Group(QueueName queue, Delay delay) {}

    private final DataSource dataSource;
    private final PgmqClient pgmq;
    private final String instance;
    private final Clock clock;
    private final ForwardListener stages;
    private final Set<QueueName> createdQueues = ConcurrentHashMap.newKeySet();

    HandOff(DataSource dataSource, PgmqClient pgmq, String instance, Clock clock, ForwardListener stages) {
        this.dataSource = dataSource;
        this.pgmq = pgmq;
        this.instance = instance;
        this.clock = clock;
        this.stages = stages;
    }

    String instance() {
        return instance;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** A plan written but not yet committed (its transaction open), or one that needs no commit any more. */
    final class Written {
        private final Connection tx;
        private final Result result;

        private Written(Connection tx, Result result) {
            this.tx = tx;
            this.result = result;
        }

        /** Commits (the WAL flush a send waits for) and returns what the writes did. */
        Result commit() {
            if (tx == null) {
                return result;
            }
            long began = System.nanoTime();
            try (Connection c = tx) {
                try {
                    c.commit();
                } catch (SQLException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException e) {
                throw new LedgerException("committing a batch of " + result.sent() + " messages", e);
            }
            stages.stage(ForwardListener.Stage.COMMIT, System.nanoTime() - began);
            return result;
        }

        /** Ends the transaction without committing: nothing of it is kept. */
        void abandon() {
            if (tx != null) {
                try (Connection c = tx) {
                    rollbackQuietly(c);
                } catch (SQLException ignored) {
                    // the pool discards a connection it cannot close
                }
            }
        }
    }

    /**
     * Writes {@code plan} and commits it.
     *
     * @throws IdentityTaken when an identity is in the ledger already; nothing was written
     * @throws LedgerException when the store failed; nothing more than what committed before was written
     */
    Result write(Plan plan) {
        return begin(plan).commit();
    }

    /**
     * Writes {@code plan} in a transaction left open for {@link Written#commit}, so the caller can start the next
     * batch's statement while this one's commit waits for its WAL flush. A plan narrowed down message by message (a
     * poisoned batch) has committed its parts already.
     *
     * @throws IdentityTaken when an identity is in the ledger already; nothing was written
     * @throws LedgerException when the store failed; nothing more than what committed before was written
     */
    Written begin(Plan plan) {
        if (plan.writesNothing()) {
            return new Written(null, new Result(0, 0, List.of(), Set.of()));
        }
        ensureQueues(plan.pgmq);
        for (int attempt = 1; ; attempt++) {
            try {
                return inOneTransaction(plan);
            } catch (SQLException e) {
                switch (SqlFailure.kind(e)) {
                    case DUPLICATE -> throw new IdentityTaken();
                    case MISSING_TABLE -> {
                        if (attempt > 1) {
                            throw new LedgerException(doing(plan), e);
                        }
                        recreateQueues(plan.pgmq, e);
                    }
                    case DATA -> {
                        return new Written(null, new PoisonSearch(this, plan, e).run());
                    }
                    default -> throw new LedgerException(doing(plan), e);
                }
            }
        }
    }

    private Written inOneTransaction(Plan plan) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(false);
            long began = System.nanoTime();
            Instant now = clock.instant();
            int[] written = writeOutgoing(c, plan.pgmq, plan.flow.isEmpty() ? null : plan, now);
            Quarantine.record(c, plan.quarantined);
            if (written[2] == 0) {
                plan.flow.flush(c, now, instance);
            }
            stages.stage(ForwardListener.Stage.SEND_AND_RECORD, System.nanoTime() - began);
            return new Written(c, new Result(written[0], written[1], List.of(), Set.of()));
        } catch (SQLException | RuntimeException | Error e) {
            rollbackQuietly(c);
            c.close();
            throw e;
        }
    }

    /**
     * Sends {@code items} and writes their ledger rows in {@code c}'s transaction; the flow counts of {@code flowOf}
     * ride along with the first send. Returns {sent, expired, flow written (1) or not (0)}.
     */
    int[] writeOutgoing(Connection c, List<Outgoing> items, Plan flowOf, Instant now) throws SQLException {
        Map<Group, List<Outgoing>> groups = new LinkedHashMap<>();
        List<LedgerEntry> expired = new ArrayList<>();
        for (Outgoing o : items) {
            if (!o.isSent()) {
                expired.add(o.entry());
            } else {
                groups.computeIfAbsent(new Group(o.queue(), o.delay()), g -> new ArrayList<>())
                        .add(o);
            }
        }
        int sent = 0;
        boolean flowWritten = false;
        for (Map.Entry<Group, List<Outgoing>> g : groups.entrySet()) {
            List<Outgoing> batch = g.getValue();
            Delay delay = g.getKey().delay();
            if (delay instanceof Delay.Seconds) {
                throw new IllegalStateException("the planner gives absolute ETAs, not relative delays: " + delay);
            }
            Ledger.sendAndInsert(
                    c,
                    g.getKey().queue().value(),
                    batch.stream().map(Outgoing::entry).toList(),
                    batch.stream().map(Outgoing::message).toList(),
                    batch.stream().map(Outgoing::headers).toList(),
                    batch.stream().map(Outgoing::envelope).toList(),
                    delay instanceof Delay.Until until ? until.instant() : null,
                    instance,
                    flowWritten || flowOf == null ? null : flowOf.flow,
                    now);
            flowWritten = flowOf != null;
            sent += batch.size();
        }
        Ledger.insertStrictly(c, expired, instance);
        return new int[] {sent, expired.size(), flowWritten ? 1 : 0};
    }

    /**
     * Writes quarantine entries and flow counts, nothing else, in a transaction of their own, with no statement
     * timeout: a message quarantined for being too slow to store must still be kept, whatever its size.
     */
    void recordAside(List<QuarantineEntry> quarantined, Plan flowOf) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute("SET LOCAL statement_timeout = 0");
                }
                Quarantine.record(c, quarantined);
                flowOf.flow.flush(c, clock.instant(), instance);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    Instant now() {
        return clock.instant();
    }

    /** Creates (idempotently, outside the batch transaction) the pgmq queues a plan sends to, once per queue. */
    void ensureQueues(List<Outgoing> items) {
        for (Outgoing o : items) {
            if (o.isSent() && !createdQueues.contains(o.queue())) {
                pgmq.create(o.queue());
                createdQueues.add(o.queue());
            }
        }
    }

    /** A queue the bridge had created is gone (dropped by hand): forget what was created and create them again. */
    void recreateQueues(List<Outgoing> items, SQLException cause) {
        LOG.warn(
                "[bridge] a pgmq queue of the batch is gone ({}); creating the batch's queues again: {}",
                SqlFailure.describe(cause),
                items.stream().map(o -> o.queue().value()).distinct().toList());
        createdQueues.clear();
        ensureQueues(items);
    }

    static String doing(Plan plan) {
        String first = plan.pgmq.isEmpty()
                ? ""
                : " (first identity " + printable(plan.pgmq.get(0).entry().identity()) + ")";
        return "handing a batch of " + plan.pgmq.size() + " messages to pgmq" + first;
    }

    /** A name from a message, fit for one log line: control characters escaped, at most 120 characters. */
    static String printable(String text) {
        if (text == null) {
            return "null";
        }
        String cut = text.length() > 120 ? text.substring(0, 120) + "…" : text;
        return OneLine.escape(cut);
    }

    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // a broken connection's transaction is gone with it
        }
    }
}
