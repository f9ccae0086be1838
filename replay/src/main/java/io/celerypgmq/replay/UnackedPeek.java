package io.celerypgmq.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * Reads kombu's {@code unacked} hash in delivery order without changing it: ZRANGEBYSCORE on {@code unacked_index}
 * (score = delivery time, not the ETA) and HMGET for the values.
 */
final class UnackedPeek {
    /** One entry: delivery tag, delivery time in epoch seconds, the hash value (null if the hash lacks it). */
    record Entry(String tag, double deliveredAt, byte[] value) {}

    private final UnifiedJedis redis;
    private final byte[] hash;
    private final byte[] index;

    UnackedPeek(UnifiedJedis redis, String hashKey, String indexKey) {
        this.redis = redis;
        this.hash = hashKey.getBytes(StandardCharsets.UTF_8);
        this.index = indexKey.getBytes(StandardCharsets.UTF_8);
    }

    /** Entries delivered in {@code (from, to]} (use negative infinity for "from the start"), skipping {@code offset}. */
    List<Entry> page(double from, double to, int offset, int size) {
        String min = Double.isInfinite(from) ? "-inf" : "(" + from;
        String max = Double.isInfinite(to) ? "+inf" : Double.toString(to);
        List<Tuple> tuples = redis.zrangeByScoreWithScores(
                index, min.getBytes(StandardCharsets.US_ASCII), max.getBytes(StandardCharsets.US_ASCII), offset, size);
        if (tuples.isEmpty()) {
            return List.of();
        }
        byte[][] fields = tuples.stream().map(Tuple::getBinaryElement).toArray(byte[][]::new);
        List<byte[]> values = redis.hmget(hash, fields);
        List<Entry> out = new ArrayList<>(tuples.size());
        for (int i = 0; i < tuples.size(); i++) {
            out.add(new Entry(tuples.get(i).getElement(), tuples.get(i).getScore(), values.get(i)));
        }
        return out;
    }

    long count(double from, double to) {
        String min = Double.isInfinite(from) ? "-inf" : "(" + from;
        String max = Double.isInfinite(to) ? "+inf" : Double.toString(to);
        return redis.zcount(index, min.getBytes(StandardCharsets.US_ASCII), max.getBytes(StandardCharsets.US_ASCII));
    }
}
