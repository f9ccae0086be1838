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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Writes one batch plan to Postgres in a single transaction: ledger rows first ({@code ON CONFLICT DO NOTHING}), then
 * {@code pgmq.send_batch} for the identities that were new, grouped by queue and delay, then the msg_ids, the
 * quarantine rows and the flow counts. Only after this commits may the batch leave Redis.
 */
public final class HandOff {
    /** What the transaction did. */
    public record Result(int sent, int expired, int duplicates, int quarantined) {}

    private record Group(QueueName queue, Delay delay) {}

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
        if (plan.pgmq().isEmpty() && plan.quarantined().isEmpty() && plan.flow().isEmpty()) {
            return new Result(0, 0, 0, 0);
        }
        ensureQueues(plan);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Result result = write(c, plan);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerException("handing a batch of " + plan.pgmq().size() + " messages to pgmq", e);
        }
    }

    private Result write(Connection c, BatchPlan plan) throws SQLException {
        List<LedgerEntry> entries = plan.pgmq().stream().map(Outgoing::entry).toList();
        Set<String> fresh = new HashSet<>(Ledger.insertNew(c, entries, instance));
        Map<Group, List<Outgoing>> groups = new LinkedHashMap<>();
        int expired = 0;
        int duplicates = 0;
        for (Outgoing o : plan.pgmq()) {
            if (!fresh.remove(o.entry().identity())) {
                duplicates++; // already in the ledger, or a second copy within this batch
            } else if (!o.isSent()) {
                expired++;
            } else {
                groups.computeIfAbsent(new Group(o.queue(), o.delay()), g -> new ArrayList<>())
                        .add(o);
            }
        }
        int sent = 0;
        for (Map.Entry<Group, List<Outgoing>> g : groups.entrySet()) {
            List<Outgoing> batch = g.getValue();
            Delay delay = g.getKey().delay();
            if (delay instanceof Delay.Seconds) {
                throw new IllegalStateException("the planner gives absolute ETAs, not relative delays: " + delay);
            }
            Ledger.sendAndRecord(
                    c,
                    g.getKey().queue().value(),
                    batch.stream().map(o -> o.entry().identity()).toList(),
                    batch.stream().map(Outgoing::message).toList(),
                    batch.stream().map(Outgoing::headers).toList(),
                    delay instanceof Delay.Until until ? until.instant() : null);
            sent += batch.size();
        }
        Quarantine.record(c, plan.quarantined());
        plan.flow().flush(c, clock.instant());
        return new Result(sent, expired, duplicates, plan.quarantined().size());
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
