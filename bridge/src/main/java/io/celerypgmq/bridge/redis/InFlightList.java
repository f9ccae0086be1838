package io.celerypgmq.bridge.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * One pump's in-flight list in Redis. Messages move into it atomically from the source lists ({@link #claim}); they
 * leave it only when the batch is finished ({@link #finish}), after the Postgres transaction that records them has
 * committed. A crash anywhere in between leaves them here for the restarted pump, or a survivor, to redo.
 */
public final class InFlightList {
    private static final LuaScript CLAIM = LuaScript.load("/io/celerypgmq/bridge/redis/claim.lua");
    private static final LuaScript ACK = LuaScript.load("/io/celerypgmq/bridge/redis/ack.lua");
    private static final LuaScript RECLAIM = LuaScript.load("/io/celerypgmq/bridge/redis/reclaim.lua");

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

    /** Moves an orphaned in-flight list into this (empty) one; false if this one is busy or the orphan is gone. */
    public boolean takeOver(String orphanKey) {
        Object taken = RECLAIM.run(redis, List.of(orphanKey.getBytes(StandardCharsets.UTF_8), keyBytes), List.of());
        return Long.valueOf(1).equals(taken);
    }

    public long size() {
        return redis.llen(keyBytes);
    }
}
