package io.celerypgmq.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.codec.KombuEnvelope;
import io.celerypgmq.bridge.move.LuaScript;
import io.celerypgmq.bridge.move.OnceOnlyPusher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Puts a snapshot back: list elements onto their lists (LPUSH in tail-first order, so an empty list comes back
 * exactly as it was; into a list that has new messages meanwhile, the restored ones queue behind them), unacked
 * entries into the unacked hash and index with their delivery times. Idempotent: a message whose identity is already
 * in Redis, or that this snapshot already restored (a marker per identity), or (unless asked) that the ledger shows
 * was moved to pgmq, is skipped.
 */
public final class QueueRestore {
    private static final LuaScript RESTORE_UNACKED = LuaScript.load(QueueRestore.class, "restore_unacked.lua");

    static final String MARKER_PREFIX = "celery-pgmq:restored:";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 500;

    private final ReplayContext ctx;

    public QueueRestore(ReplayContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param includeMoved restore messages the ledger says were moved to pgmq too (they would then exist twice)
     * @param dryRun only count what would be restored
     */
    public ReplayReport restore(Path file, boolean includeMoved, boolean dryRun, Progress progress) {
        long start = ctx.clock().millis();
        ReplayTally tally = new ReplayTally();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            JsonNode header = JSON.readTree(first == null ? "{}" : first);
            if (header.path("celery_pgmq_snapshot").asInt() != QueueSnapshot.FORMAT) {
                throw new IllegalArgumentException(file + " is not a celery-pgmq snapshot (no format-1 header line)");
            }
            String snapshotId = header.path("id").asText();
            Set<String> present = IdentitiesInRedis.of(ctx, header);
            LedgerLookup ledger = new LedgerLookup(ctx.db());
            boolean checkLedger = !includeMoved && ledger.present();
            List<SnapshotRecord> batch = new ArrayList<>(BATCH);
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                batch.add(SnapshotRecord.parse(JSON.readTree(line)));
                if (batch.size() == BATCH) {
                    restore(batch, snapshotId, present, checkLedger ? ledger : null, dryRun, tally, progress);
                    batch.clear();
                }
            }
            restore(batch, snapshotId, present, checkLedger ? ledger : null, dryRun, tally, progress);
        } catch (IOException e) {
            throw new UncheckedIOException("reading snapshot " + file, e);
        }
        return tally.report(
                ReplayKind.RESTORE,
                null,
                dryRun ? JobState.DRY_RUN : JobState.DRAINED,
                ctx.clock().millis() - start,
                null);
    }

    private void restore(
            List<SnapshotRecord> batch,
            String snapshotId,
            Set<String> present,
            LedgerLookup ledger,
            boolean dryRun,
            ReplayTally tally,
            Progress progress) {
        Set<String> moved = ledger == null
                ? Set.of()
                : ledger.existing(batch.stream().map(SnapshotRecord::identity).toList());
        List<SnapshotRecord> lists = new ArrayList<>();
        List<SnapshotRecord> unacked = new ArrayList<>();
        for (SnapshotRecord r : batch) {
            if (present.contains(r.identity())) {
                tally.skipped("already in Redis", 1);
            } else if (moved.contains(r.identity())) {
                tally.skipped("moved to pgmq (the ledger has it); --include-moved restores it anyway", 1);
            } else {
                (r.kind().equals(SnapshotRecord.UNACKED) ? unacked : lists).add(r);
            }
        }
        List<Boolean> listFlags = dryRun ? wouldRestore(lists, snapshotId) : pushLists(lists, snapshotId);
        List<Boolean> unackedFlags = dryRun ? wouldRestoreUnacked(unacked) : putUnacked(unacked);
        count(lists, listFlags, tally);
        count(unacked, unackedFlags, tally);
        progress.advance(batch.size());
    }

    private List<Boolean> pushLists(List<SnapshotRecord> records, String snapshotId) {
        List<OnceOnlyPusher.Push> pushes = new ArrayList<>(records.size());
        for (SnapshotRecord r : records) {
            pushes.add(new OnceOnlyPusher.Push(marker(snapshotId, r), r.source(), r.raw()));
        }
        return new OnceOnlyPusher(ctx.redis()).push(pushes);
    }

    private List<Boolean> wouldRestore(List<SnapshotRecord> records, String snapshotId) {
        return records.stream()
                .map(r -> !ctx.redis().exists(marker(snapshotId, r)))
                .toList();
    }

    private List<Boolean> putUnacked(List<SnapshotRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        List<byte[]> args = new ArrayList<>(records.size() * 3);
        for (SnapshotRecord r : records) {
            args.add(r.tag().getBytes(StandardCharsets.UTF_8));
            args.add(Double.toString(r.deliveredAt()).getBytes(StandardCharsets.US_ASCII));
            args.add(r.raw());
        }
        List<byte[]> keys = List.of(
                ctx.unackedKey().getBytes(StandardCharsets.UTF_8),
                ctx.unackedIndexKey().getBytes(StandardCharsets.UTF_8));
        List<?> flags = (List<?>) RESTORE_UNACKED.run(ctx.redis(), keys, args);
        return flags.stream().map(f -> Long.valueOf(1).equals(f)).toList();
    }

    private List<Boolean> wouldRestoreUnacked(List<SnapshotRecord> records) {
        return records.stream()
                .map(r -> !ctx.redis().hexists(ctx.unackedKey(), r.tag()))
                .toList();
    }

    private static void count(List<SnapshotRecord> records, List<Boolean> restored, ReplayTally tally) {
        for (int i = 0; i < records.size(); i++) {
            SnapshotRecord r = records.get(i);
            if (restored.get(i)) {
                tally.moved(r.task() == null ? "(undecodable)" : r.task(), "snapshot", Keys.printable(r.source()));
            } else {
                tally.skipped("restored before from this snapshot", 1);
            }
        }
    }

    private static String marker(String snapshotId, SnapshotRecord r) {
        return MARKER_PREFIX + snapshotId + ":" + r.identity();
    }

    /** Keeps only what is needed to tell "already there": identities, not messages. */
    static final class IdentitiesInRedis {
        private IdentitiesInRedis() {}

        static Set<String> of(ReplayContext ctx, JsonNode header) {
            Set<String> out = new HashSet<>();
            List<String> queues = new ArrayList<>();
            header.path("queues").forEach(q -> queues.add(q.asText()));
            ListPeek peek = new ListPeek(ctx.redis());
            for (String key : ctx.keys().consumptionOrder(queues)) {
                long offset = 0;
                List<ListPeek.Seen> page;
                do {
                    page = peek.page(key, offset, BATCH);
                    page.forEach(s -> out.add(identity(ctx, key, s.raw())));
                    offset += page.size();
                } while (page.size() == BATCH);
            }
            out.addAll(ctx.redis().hkeys(ctx.unackedKey()));
            return out;
        }

        private static String identity(ReplayContext ctx, String key, byte[] raw) {
            try {
                return KombuEnvelope.parse(raw, key).identity();
            } catch (RuntimeException e) {
                return KombuEnvelope.sha256(raw);
            }
        }
    }
}
