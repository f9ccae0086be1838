package io.celerypgmq.benchmarks.scenario;

import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.bridge.store.SqlArrays;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Second yardstick: the raw hop plus the one thing the design cannot drop, a ledger row per message in the same
 * transaction (written once, with its msg id). The identity is cut out of the bytes without parsing; nothing is
 * decoded or reshaped. The gap between this and the raw hop is the ledger's price; the gap between this and the
 * forward pump is what the bridge's own work costs.
 */
public final class RawLedgerHop implements Scenario {
    private static final byte[] TAG = "\"delivery_tag\": \"".getBytes(StandardCharsets.US_ASCII);
    private static final String LEDGER = "INSERT INTO celery_pgmq.ledger (identity, task_id, task_name, source_key,"
            + " route, pgmq_queue, pgmq_msg_id, outcome, instance) SELECT u.identity, u.identity, 'bench', ?, 'pgmq',"
            + " ?, u.msg_id, 'sent', 'raw' FROM unnest(?::text[], ?::bigint[]) AS u(identity, msg_id)"
            + " ON CONFLICT (identity) DO NOTHING";

    private final BenchEnv env;
    private final int batch;

    public RawLedgerHop(BenchEnv env, int batch) {
        this.env = env;
        this.batch = batch;
    }

    @Override
    public String id() {
        return "raw.ledger_hop.b" + batch;
    }

    @Override
    public String label() {
        return "raw: hop + one ledger row per message, b" + batch;
    }

    @Override
    public String group() {
        return "raw";
    }

    @Override
    public void prepare(int messages) {
        env.reset();
        env.fill(BenchEnv.SOURCE, messages);
    }

    @Override
    public long run() {
        RawClaim claim = new RawClaim(env.redis(), BenchEnv.SOURCE, "bench:raw-inflight:ledger", batch);
        long moved = 0;
        try (Connection c = env.db().getConnection();
                PreparedStatement send = c.prepareStatement(RawSendBatch.SEND_BATCH);
                PreparedStatement ledger = c.prepareStatement(LEDGER)) {
            c.setAutoCommit(false);
            for (List<byte[]> got = claim.claim(); !got.isEmpty(); got = claim.claim()) {
                String[] texts = new String[got.size()];
                String[] identities = new String[got.size()];
                for (int i = 0; i < texts.length; i++) {
                    texts[i] = new String(got.get(i), StandardCharsets.UTF_8);
                    identities[i] = tag(got.get(i));
                }
                send.setString(1, BenchEnv.QUEUE.value());
                SqlArrays.text(send, 2, texts);
                List<Long> ids = new ArrayList<>(texts.length);
                try (ResultSet rs = send.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                ledger.setString(1, BenchEnv.SOURCE);
                ledger.setString(2, BenchEnv.QUEUE.value());
                SqlArrays.text(ledger, 3, identities);
                SqlArrays.bigint(
                        ledger, 4, ids.stream().mapToLong(Long::longValue).toArray());
                ledger.executeUpdate();
                c.commit();
                claim.forget();
                moved += ids.size();
            }
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException("raw ledger hop failed", e);
        }
        return moved;
    }

    @Override
    public long check() {
        return env.pgmqCount(BenchEnv.QUEUE);
    }

    /** The delivery tag's 36 characters, found by byte search (kombu writes {@code "delivery_tag": "<uuid>"}). */
    private static String tag(byte[] raw) {
        outer:
        for (int i = raw.length - TAG.length - 36; i >= 0; i--) {
            for (int j = 0; j < TAG.length; j++) {
                if (raw[i + j] != TAG[j]) {
                    continue outer;
                }
            }
            return new String(raw, i + TAG.length, 36, StandardCharsets.US_ASCII);
        }
        throw new IllegalStateException("no delivery tag in a bench message");
    }
}
