package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.ledger.LedgerException;
import io.celerypgmq.bridge.ledger.QuarantineEntry;
import io.celerypgmq.bridge.store.SqlFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DESIGN invariant 8: a plan whose write failed on its data is split in halves, each written in a transaction of its
 * own, down to the messages that fail alone. Those are quarantined with their bytes and the reason the failure gives
 * ({@link SqlFailure#quarantineReason}); their Celery side, where the route gives them one, is untouched in the plan.
 * Then the quarantine entries (the plan's and the poisoned) and the flow counts, less what the poisoned had added, are
 * written on their own. A crash in between leaves the halves written so far in the ledger, which a redo follows.
 *
 * <p>A statement timeout is the message's fault only if the statement was not waiting for a lock: while the search
 * runs, {@code lock_timeout} is set below {@code statement_timeout}, so a lock held elsewhere fails as a lock wait (not
 * data) and the batch is retried as it was.
 */
final class PoisonSearch {
    private static final Logger LOG = LoggerFactory.getLogger(PoisonSearch.class);

    private final HandOff handOff;
    private final Plan plan;
    private final SQLException first;
    private final List<QuarantineEntry> poisoned = new ArrayList<>();
    private final Set<Outgoing> poisonedItems = new HashSet<>();
    private int sent;
    private int expired;
    private long lockTimeoutMillis = -1;

    PoisonSearch(HandOff handOff, Plan plan, SQLException first) {
        this.handOff = handOff;
        this.plan = plan;
        this.first = first;
    }

    HandOff.Result run() {
        LOG.warn(
                "[bridge] a batch of {} messages failed on its data ({}); looking for the messages that fail alone",
                plan.pgmq.size(),
                SqlFailure.describe(first));
        try {
            search(plan.pgmq, first);
            List<QuarantineEntry> aside = new ArrayList<>(plan.quarantined);
            aside.addAll(poisoned);
            handOff.recordAside(aside, plan);
        } catch (SQLException e) {
            throw failure(e);
        }
        return new HandOff.Result(sent, expired, List.copyOf(poisoned), Set.copyOf(poisonedItems));
    }

    private void search(List<Outgoing> items, SQLException failure) throws SQLException {
        if (items.size() == 1) {
            quarantine(items.get(0), failure);
            return;
        }
        int half = items.size() / 2;
        for (List<Outgoing> part : List.of(items.subList(0, half), items.subList(half, items.size()))) {
            SQLException failed = tryWrite(part);
            if (failed != null) {
                search(part, failed);
            }
        }
    }

    /** Writes {@code part} in its own transaction; returns the data failure that stopped it, or null. */
    private SQLException tryWrite(List<Outgoing> part) throws SQLException {
        if (part.isEmpty()) {
            return null;
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection c = handOff.dataSource().getConnection()) {
                c.setAutoCommit(false);
                try {
                    guardAgainstLockWaits(c);
                    int[] written = handOff.writeOutgoing(c, part, null, handOff.now());
                    c.commit();
                    sent += written[0];
                    expired += written[1];
                    return null;
                } catch (SQLException e) {
                    HandOff.rollbackQuietly(c);
                    switch (SqlFailure.kind(e)) {
                        case DATA:
                            return e;
                        case DUPLICATE:
                            throw new HandOff.IdentityTaken();
                        case MISSING_TABLE:
                            if (attempt == 1) {
                                handOff.recreateQueues(part, e);
                                continue;
                            }
                            throw e;
                        default:
                            throw e;
                    }
                }
            }
        }
    }

    private void quarantine(Outgoing o, SQLException failure) {
        Decoded d = o.from();
        CeleryMessage msg = d.msg();
        poisonedItems.add(o);
        String reason = SqlFailure.quarantineReason(failure);
        poisoned.add(QuarantineEntry.of(
                msg.identity(),
                d.ledgerSource(),
                d.raw(),
                reason,
                "pgmq could not store this message (" + SqlFailure.describe(failure) + ")"));
        plan.flow.add(msg.task(), o.flowRoute(), o.flowDirection(), -1);
        plan.flow.add(msg.task(), "quarantine", "quarantined");
        LOG.warn(
                "[bridge] quarantined one message of task {} as {} ({} bytes); the rest of its batch moves on",
                HandOff.printable(msg.task()),
                reason,
                d.raw().length);
    }

    /** Sets {@code lock_timeout} to half of {@code statement_timeout} for this transaction (when one is set). */
    private void guardAgainstLockWaits(Connection c) throws SQLException {
        if (lockTimeoutMillis < 0) {
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT setting::bigint FROM pg_settings WHERE name = 'statement_timeout'");
                    ResultSet rs = ps.executeQuery()) {
                lockTimeoutMillis = rs.next() ? rs.getLong(1) / 2 : 0;
            }
        }
        if (lockTimeoutMillis > 0) {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = " + lockTimeoutMillis); // a number we computed, not input
            }
        }
    }

    private LedgerException failure(SQLException e) {
        return new LedgerException("writing a batch of " + plan.pgmq.size() + " messages part by part", e);
    }
}
