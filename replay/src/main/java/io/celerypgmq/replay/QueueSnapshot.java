package io.celerypgmq.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.KombuEnvelope;
import io.celerypgmq.bridge.codec.UndecodableMessageException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Writes what is left of Celery queues to a JSON Lines file before anything moves: every element of the lists and
 * priority lists (tail first, the order a worker would take them), and the queues' {@code unacked} entries, each with
 * its exact bytes, key and identity. Read only, streamed page by page; the file appears complete or not at all.
 */
public final class QueueSnapshot {
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 1000;

    private final ReplayContext ctx;

    public QueueSnapshot(ReplayContext ctx) {
        this.ctx = ctx;
    }

    /** Snapshots {@code queues} (and, with {@code unacked}, their unacked entries) into {@code file}. */
    public ReplayReport write(List<String> queues, boolean unacked, Path file, Progress progress) {
        long start = ctx.clock().millis();
        ReplayTally tally = new ReplayTally();
        CeleryCodec codec = ctx.codec();
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            out.write(header(queues, unacked));
            out.newLine();
            ListPeek lists = new ListPeek(ctx.redis());
            for (String key : ctx.keys().consumptionOrder(queues)) {
                long offset = 0;
                List<ListPeek.Seen> page;
                do {
                    page = lists.page(key, offset, PAGE);
                    for (ListPeek.Seen s : page) {
                        write(out, listed(codec, key, s), tally);
                    }
                    offset += page.size();
                    progress.advance(page.size());
                } while (page.size() == PAGE);
            }
            if (unacked) {
                writeUnacked(out, codec, new HashSet<>(queues), tally, progress);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing snapshot " + file, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing snapshot " + file, e);
        }
        tally.note("snapshot written to " + file);
        return tally.report(
                ReplayKind.SNAPSHOT, null, JobState.DRAINED, ctx.clock().millis() - start, null);
    }

    private void writeUnacked(
            BufferedWriter out, CeleryCodec codec, Set<String> queues, ReplayTally tally, Progress progress)
            throws IOException {
        UnackedPeek peek = new UnackedPeek(ctx.redis(), ctx.unackedKey(), ctx.unackedIndexKey());
        UnackedRouting routing = new UnackedRouting(
                ctx.redis(), ctx.bridge().globalKeyPrefix(), ctx.bridge().prioritySeparator());
        int offset = 0;
        List<UnackedPeek.Entry> page;
        do {
            page = peek.page(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, offset, PAGE);
            for (UnackedPeek.Entry e : page) {
                if (e.value() != null
                        && routing.queueOf(e.value()).filter(queues::contains).isPresent()) {
                    write(out, unacked(codec, e), tally);
                }
            }
            offset += page.size();
            progress.advance(page.size());
        } while (page.size() == PAGE);
    }

    private SnapshotRecord listed(CeleryCodec codec, String key, ListPeek.Seen s) {
        String identity;
        String task = null;
        try {
            CeleryMessage m = codec.decode(s.raw(), key);
            identity = m.identity();
            task = m.task();
        } catch (UndecodableMessageException e) {
            identity = e.identity() != null ? e.identity() : KombuEnvelope.sha256(s.raw());
        }
        return new SnapshotRecord(SnapshotRecord.LIST, key, s.tailOffset(), null, 0, identity, task, s.raw());
    }

    private SnapshotRecord unacked(CeleryCodec codec, UnackedPeek.Entry e) {
        String task = null;
        try {
            task = codec.decodeUnacked(e.value(), ctx.unackedKey()).message().task();
        } catch (UndecodableMessageException ignored) {
            // kept byte for byte all the same; the tag is its identity
        }
        return new SnapshotRecord(
                SnapshotRecord.UNACKED, ctx.unackedKey(), 0, e.tag(), e.deliveredAt(), e.tag(), task, e.value());
    }

    private static void write(BufferedWriter out, SnapshotRecord r, ReplayTally tally) throws IOException {
        out.write(r.toJsonLine());
        out.newLine();
        tally.moved(r.task() == null ? "(undecodable)" : r.task(), r.source(), "snapshot");
    }

    private String header(List<String> queues, boolean unacked) {
        ObjectNode h = JSON.createObjectNode();
        h.put("celery_pgmq_snapshot", FORMAT);
        h.put("id", UUID.randomUUID().toString());
        h.put("created_at", ctx.clock().instant().toString());
        queues.forEach(h.putArray("queues")::add);
        h.put("unacked", unacked);
        h.put("global_keyprefix", ctx.bridge().globalKeyPrefix());
        h.put("separator", ctx.bridge().prioritySeparator());
        ctx.bridge().prioritySteps().forEach(h.putArray("priority_steps")::add);
        return h.toString();
    }
}
