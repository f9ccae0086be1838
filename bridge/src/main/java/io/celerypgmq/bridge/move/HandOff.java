package io.celerypgmq.bridge.pump;

import io.celerypgmq.bridge.ledger.Ledger;
import io.celerypgmq.bridge.ledger.LedgerEntry;
import io.celerypgmq.bridge.ledger.LedgerException;
import io.celerypgmq.bridge.ledger.Quarantine;
import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.QueueName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Writes one batch plan to Postgres in a single transaction: per queue and delay, one statement that calls
 * {@code pgmq.send_batch} and inserts the ledger rows with their msg_ids; then the expired entries' rows, the
 * quarantine rows and the flow counts. Only after this commits may the batch leave Redis.
 *
 * <p>The first attempt assumes every identity is new, which is what all but a redone batch are. If one is in the
 * ledger already (a redo after a crash, or another instance racing on the same batch), the ledger's primary key fails
 * the statement, the transaction rolls back, send included, and the batch is written again without the identities
 * the ledger has. A racer's uncommitted row makes the insert wait for its commit, so the retry sees it.
 */
public final class HandOff {
    /** What the transaction did. */
    public record Result(int sent, int expired, int duplicates, int quarantined) {}

    private record Group(QueueName queue, Delay delay) {}

    /** Attempts before giving up on a batch whose identities keep appearing in the ledger under it. */
    private static final int ATTEMPTS = 3;

    private final DataSource dataSource;
    private final PgmqClient pgmq;
    private final String instance;
    private final Clock clock;
    private final Set<QueueName> createdQueues = ConcurrentHashMap.newKeySet();

    public HandOff(DataSource dataSource, PgmqClient pgmq, String instance, Clock clock) {
        this.dataSource = dataSource;
        this.pgmq = pgmq;
        this.instance = instance;
        this.clock = clock;
    }

    public Result write(BatchPlan plan) {
        return write(plan, false);
    }

    /**
     * @param likelyDone the batch may have been handed off before (a redo): look the identities up first instead of
     *     finding out by a failed insert
     */
    public Result write(BatchPlan plan, boolean likelyDone) {
        if (plan.pgmq().isEmpty() && plan.quarantined().isEmpty() && plan.flow().isEmpty()) {
            return new Result(0, 0, 0, 0);
        }
        ensureQueues(plan);
        boolean lookUp = likelyDone;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (int attempt = 1; ; attempt++) {
                try {
                    Result result = write(c, plan, lookUp);
                    c.commit();
                    return result;
                } catch (SQLException e) {
                    c.rollback();
                    if (!Ledger.isDuplicate(e) || attempt == ATTEMPTS) {
                        throw e;
                    }
                    lookUp = true;
                } catch (RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("handing a batch of " + plan.pgmq().size() + " messages to pgmq", e);
        }
    }

    private Result write(Connection c, BatchPlan plan, boolean lookUp) throws SQLException {
        Set<String> seen = lookUp
                ? Ledger.existing(
                        c, plan.pgmq().stream().map(o -> o.entry().identity()).toList())
                : new HashSet<>();
        Map<Group, List<Outgoing>> groups = new LinkedHashMap<>();
        List<LedgerEntry> expired = new ArrayList<>();
        int duplicates = 0;
        for (Outgoing o : plan.pgmq()) {
            if (!seen.add(o.entry().identity())) {
                duplicates++; // already in the ledger, or a second copy within this batch
            } else if (!o.isSent()) {
                expired.add(o.entry());
            } else {
                groups.computeIfAbsent(new Group(o.queue(), o.delay()), g -> new ArrayList<>())
                        .add(o);
            }
        }
        int sent = 0;
        Instant now = clock.instant();
        boolean flowWritten = false;
        for (Map.Entry<Group, List<Outgoing>> g : groups.entrySet()) {
            List<Outgoing> batch = g.getValue();
            Delay delay = g.getKey().delay();
            if (delay instanceof Delay.Seconds) {
                throw new IllegalStateException("the planner gives absolute ETAs, not relative delays: " + delay);
            }
            // the batch's flow counts ride along with the first send: one round trip fewer
            Ledger.sendAndInsert(
                    c,
                    g.getKey().queue().value(),
                    batch.stream().map(Outgoing::entry).toList(),
                    batch.stream().map(Outgoing::message).toList(),
                    batch.stream().map(Outgoing::headers).toList(),
                    batch.stream().map(Outgoing::envelope).toList(),
                    delay instanceof Delay.Until until ? until.instant() : null,
                    instance,
                    flowWritten ? null : plan.flow(),
                    now);
            flowWritten = true;
            sent += batch.size();
        }
        // expired rows: ON CONFLICT DO NOTHING, so one recorded earlier counts as a duplicate, not an error
        int recordedExpired = Ledger.insertNew(c, expired, instance).size();
        duplicates += expired.size() - recordedExpired;
        Quarantine.record(c, plan.quarantined());
        if (!flowWritten) {
            plan.flow().flush(c, now, instance);
        }
        return new Result(sent, recordedExpired, duplicates, plan.quarantined().size());
    }

    /** Creates (idempotently, outside the batch transaction) the pgmq queues a plan sends to, once per queue. */
    private void ensureQueues(BatchPlan plan) {
        for (Outgoing o : plan.pgmq()) {
            if (!createdQueues.contains(o.queue())) {
                pgmq.create(o.queue());
                createdQueues.add(o.queue());
            }
        }
    }
}
