package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.codec.PriorityKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.UnifiedJedis;

/**
 * One pump's in-flight list in Redis. Messages move into it atomically from the source lists ({@link #claim}); they
 * leave it only when the batch is finished ({@link #finish}), after the Postgres transaction that records them has
 * committed. A crash anywhere in between leaves them here for the restarted pump, or a survivor, to redo.
 */
public final class InFlightList {
    private static final LuaScript CLAIM = LuaScript.load("/io/celerypgmq/bridge/move/claim.lua");
    private static final LuaScript ACK = LuaScript.load("/io/celerypgmq/bridge/move/ack.lua");
    private static final LuaScript RECLAIM = LuaScript.load("/io/celerypgmq/bridge/move/reclaim.lua");
    private static final LuaScript TAKE_LISTED = LuaScript.load("/io/celerypgmq/bridge/move/take_listed.lua");
    private static final LuaScript TAKE_UNACKED = LuaScript.load("/io/celerypgmq/bridge/move/take_unacked.lua");

    private static final byte[] ALL = "all".getBytes(StandardCharsets.US_ASCII);

    private final UnifiedJedis redis;
    private final String key;
    private final byte[] keyBytes;

    public InFlightList(UnifiedJedis redis, String key) {
        this.redis = redis;
        this.key = key;
        this.keyBytes = key.getBytes(StandardCharsets.UTF_8);
    }

    public String key() {
        return key;
    }

    /**
     * The most bytes one claim takes (at least one message): an eighth of the heap, so two batches in hand (one
     * claimed while the other is written) stay well within it whatever the messages weigh.
     */
    public static final long CLAIM_BYTES = Runtime.getRuntime().maxMemory() / 8;

    /** Claims up to {@code max} messages from {@code sources}, taken in the order given (kombu's priority order). */
    public List<ClaimedMessage> claim(List<String> sources, int max) {
        return claim(sources, max, CLAIM_BYTES);
    }

    /** Claims up to {@code max} messages and no more than {@code maxBytes} of them (at least one message). */
    public List<ClaimedMessage> claim(List<String> sources, int max, long maxBytes) {
        List<byte[]> keys = new ArrayList<>(sources.size() + 1);
        keys.add(keyBytes);
        sources.forEach(s -> keys.add(s.getBytes(StandardCharsets.UTF_8)));
        Object reply = CLAIM.run(
                redis,
                keys,
                List.of(
                        Integer.toString(max).getBytes(StandardCharsets.US_ASCII),
                        Long.toString(maxBytes).getBytes(StandardCharsets.US_ASCII)));
        List<?> flat = (List<?>) reply;
        List<ClaimedMessage> out = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i < flat.size(); i += 2) {
            out.add(new ClaimedMessage(
                    new String((byte[]) flat.get(i), StandardCharsets.UTF_8), (byte[]) flat.get(i + 1)));
        }
        return out;
    }

    /** What is in flight now, in claim order (after a restart: the batch to redo). */
    public List<ClaimedMessage> pending() {
        List<byte[]> elements = redis.lrange(keyBytes, 0, -1);
        List<ClaimedMessage> out = new ArrayList<>(elements.size());
        for (byte[] e : elements) {
            out.add(ClaimedMessage.fromInFlightElement(e));
        }
        Collections.reverse(out);
        return out;
    }

    /** Pushes the Celery-routed messages and empties this list, atomically. */
    public void finish(List<CeleryPush> pushes) {
        ack(pushes, ALL);
    }

    /**
     * Pushes the Celery-routed messages and forgets the {@code claimed} oldest entries, atomically: the batch claimed
     * first, while a later one may already sit in the list behind it.
     */
    public void finishOldest(List<CeleryPush> pushes, int claimed) {
        ack(pushes, Integer.toString(claimed).getBytes(StandardCharsets.US_ASCII));
    }

    private void ack(List<CeleryPush> pushes, byte[] forget) {
        List<byte[]> keys = new ArrayList<>(pushes.size() + 1);
        List<byte[]> args = new ArrayList<>(pushes.size() + 1);
        keys.add(keyBytes);
        for (CeleryPush p : pushes) {
            keys.add(p.listKey().getBytes(StandardCharsets.UTF_8));
            args.add(p.raw());
        }
        args.add(forget);
        ACK.run(redis, keys, args);
    }

    /** An element a caller saw when it peeked at a Celery list: its offset from the tail and its bytes. */
    public record Seen(long tailOffset, byte[] raw) {}

    /**
     * Takes the chosen elements of the Celery list {@code listKey} that are still exactly where they were seen, into
     * this list, atomically (replay's selective drain). {@code tombstone} must equal no message. Returns the taken.
     */
    public List<ClaimedMessage> takeListed(String listKey, List<Seen> chosen, byte[] tombstone) {
        List<byte[]> args = new ArrayList<>(chosen.size() * 2 + 1);
        args.add(tombstone);
        Map<Long, byte[]> byOffset = new HashMap<>();
        for (Seen s : chosen) {
            args.add(Long.toString(s.tailOffset()).getBytes(StandardCharsets.US_ASCII));
            args.add(s.raw());
            byOffset.put(s.tailOffset(), s.raw());
        }
        List<?> taken = (List<?>) TAKE_LISTED.run(redis, List.of(keyBytes, utf8(listKey)), args);
        List<ClaimedMessage> out = new ArrayList<>(taken.size());
        for (Object offset : taken) {
            long o = Long.parseLong(new String((byte[]) offset, StandardCharsets.US_ASCII));
            out.add(new ClaimedMessage(listKey, byOffset.get(o)));
        }
        return out;
    }

    /**
     * Takes the chosen unacked entries ({@code tagged}: delivery tag → value seen) still delivered at or before
     * {@code cutoff} (epoch seconds) from kombu's unacked hash under {@code keys}' prefix into this list, atomically,
     * as kombu's own restore takes them. Returns null while a Celery worker holds the mutex (it is restoring), else the
     * taken.
     */
    public List<ClaimedMessage> takeUnacked(PriorityKeys keys, Map<String, byte[]> tagged, double cutoff) {
        List<byte[]> args = new ArrayList<>(tagged.size() + 1);
        args.add(Double.toString(cutoff).getBytes(StandardCharsets.US_ASCII));
        tagged.keySet().forEach(t -> args.add(utf8(t)));
        List<byte[]> scriptKeys =
                List.of(keyBytes, utf8(keys.unackedKey()), utf8(keys.unackedIndexKey()), utf8(keys.unackedMutexKey()));
        Object reply = TAKE_UNACKED.run(redis, scriptKeys, args);
        if (reply == null) {
            return null;
        }
        Set<String> seen = new HashSet<>();
        List<ClaimedMessage> out = new ArrayList<>();
        for (Object tag : (List<?>) reply) {
            String t = new String((byte[]) tag, StandardCharsets.UTF_8);
            if (seen.add(t)) {
                out.add(new ClaimedMessage(keys.unackedKey(), tagged.get(t)));
            }
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Moves an orphaned in-flight list into this (empty) one; false if this one is busy or the orphan is gone. */
    public boolean takeOver(String orphanKey) {
        Object taken = RECLAIM.run(redis, List.of(orphanKey.getBytes(StandardCharsets.UTF_8), keyBytes), List.of());
        return Long.valueOf(1).equals(taken);
    }

    public long size() {
        return redis.llen(keyBytes);
    }
}
