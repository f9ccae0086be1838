package io.celerypgmq.benchmarks.whatif;

import io.celerypgmq.bridge.ledger.FlowCounters;
import io.celerypgmq.bridge.ledger.LedgerEntry;
import io.celerypgmq.bridge.ledger.Quarantine;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqOperations;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.BatchPlan;
import io.celerypgmq.bridge.pump.Outgoing;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A what-if, not the bridge: {@code HandOff.write} reordered so each ledger row is written once. Send first, then
 * insert the ledger rows with their msg ids ({@code ON CONFLICT DO NOTHING RETURNING identity}); a row that conflicted
 * is a duplicate, and its just-sent copy is deleted in the same transaction, so what commits is what HandOff commits
 * (a racing instance waits on the unique index exactly as before). Saves the {@code UPDATE … FROM unnest} and the dead
 * ledger tuple it leaves. Single queue, no delays (the bench's steady state); {@code flowPerInstance} also keys the
 * flow counters by instance so two instances never wait on each other's flow row.
 */
final class LeanHandOff {
    private static final String INSERT = "INSERT INTO celery_pgmq.ledger"
            + " (identity, task_id, task_name, source_key, route, pgmq_queue, pgmq_msg_id, eta, outcome, instance)"
            + " SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[],"
            + " ?::timestamptz[], ?::text[], ?::text[]) ON CONFLICT (identity) DO NOTHING RETURNING identity";

    private final DataSource db;
    private final PgmqClient pgmq;
    private final String instance;
    private final boolean flowPerInstance;

    LeanHandOff(DataSource db, PgmqClient pgmq, String instance, boolean flowPerInstance) {
        this.db = db;
        this.pgmq = pgmq;
        this.instance = instance;
        this.flowPerInstance = flowPerInstance;
    }

    int write(BatchPlan plan) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                int sent = write(c, plan);
                c.commit();
                return sent;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("lean hand-off failed", e);
        }
    }

    private int write(Connection c, BatchPlan plan) throws SQLException {
        Map<String, Outgoing> unique = new LinkedHashMap<>();
        plan.pgmq().forEach(o -> unique.putIfAbsent(o.entry().identity(), o));
        List<Outgoing> send = unique.values().stream().filter(Outgoing::isSent).toList();
        PgmqOperations tx = pgmq.in(c);
        Map<String, Long> ids = new LinkedHashMap<>();
        if (!send.isEmpty()) {
            QueueName queue = send.get(0).queue();
            List<Long> got = tx.sendBatch(
                    queue,
                    send.stream().map(Outgoing::message).toList(),
                    send.stream().map(Outgoing::headers).toList(),
                    send.get(0).delay());
            for (int i = 0; i < send.size(); i++) {
                ids.put(send.get(i).entry().identity(), got.get(i));
            }
        }
        Set<String> fresh = insert(c, new ArrayList<>(unique.values()), ids);
        List<Long> duplicates = new ArrayList<>();
        ids.forEach((identity, id) -> {
            if (!fresh.contains(identity)) {
                duplicates.add(id);
            }
        });
        if (!duplicates.isEmpty()) {
            tx.delete(send.get(0).queue(), duplicates);
        }
        Quarantine.record(c, plan.quarantined());
        flow(plan).flush(c, Instant.now());
        return ids.size() - duplicates.size();
    }

    private FlowCounters flow(BatchPlan plan) {
        if (!flowPerInstance) {
            return plan.flow();
        }
        FlowCounters keyed = new FlowCounters();
        plan.flow().snapshot().forEach((key, count) -> {
            String[] k = key.split("/", 3);
            for (long i = 0; i < count; i++) {
                keyed.add(k[0], k[1] + "@" + instance, k[2]);
            }
        });
        return keyed;
    }

    private Set<String> insert(Connection c, List<Outgoing> rows, Map<String, Long> ids) throws SQLException {
        int n = rows.size();
        String[][] text = new String[8][n];
        Long[] msgIds = new Long[n];
        Timestamp[] eta = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            LedgerEntry e = rows.get(i).entry();
            text[0][i] = e.identity();
            text[1][i] = e.taskId();
            text[2][i] = e.taskName();
            text[3][i] = e.sourceKey();
            text[4][i] = e.route();
            text[5][i] = e.pgmqQueue();
            text[6][i] = e.expired() ? "expired" : "sent";
            text[7][i] = instance;
            msgIds[i] = ids.get(e.identity());
            eta[i] = e.eta() == null ? null : Timestamp.from(e.eta());
        }
        Set<String> fresh = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (int col = 0; col < 6; col++) {
                ps.setArray(col + 1, c.createArrayOf("text", text[col]));
            }
            ps.setArray(7, c.createArrayOf("bigint", msgIds));
            ps.setArray(8, c.createArrayOf("timestamptz", eta));
            ps.setArray(9, c.createArrayOf("text", text[6]));
            ps.setArray(10, c.createArrayOf("text", text[7]));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getString(1));
                }
            }
        }
        return fresh;
    }
}
