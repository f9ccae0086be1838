package io.celerypgmq.bridge.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.KombuEnvelope;
import io.celerypgmq.bridge.codec.UndecodableMessageException;
import java.io.IOException;
import java.util.List;
import java.util.function.BiConsumer;
import redis.clients.jedis.UnifiedJedis;

/**
 * Reads what a {@link TaskCensus} counts: each waiting element's identity and task name, and each {@code unacked}
 * entry's queue and task name. The task name comes from the envelope's headers (protocol 2) when it is there, so most
 * messages are never fully decoded; protocol 1 messages are. An undecodable element counts under {@link #UNDECODABLE}.
 */
final class CensusReader {
    static final String UNDECODABLE = "(undecodable)";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisPeek peek;
    private final CeleryCodec codec;
    private final int maxPerQueue;

    CensusReader(UnifiedJedis redis, CeleryCodec codec, int maxPerQueue) {
        if (maxPerQueue < 1) {
            throw new IllegalArgumentException("a census reads at least 1 message per queue, got " + maxPerQueue);
        }
        this.peek = new RedisPeek(redis, RedisPeek.DEFAULT_PAGE_SIZE);
        this.codec = codec;
        this.maxPerQueue = maxPerQueue;
    }

    /**
     * Hands (identity, task) of every element of {@code keys} to {@code found}, at most {@code maxPerQueue} in all.
     *
     * @return whether elements were left unread (the counts are lower bounds)
     */
    boolean readWaiting(List<String> keys, BiConsumer<String, String> found) {
        long[] read = {0};
        for (String key : keys) {
            if (read[0] < maxPerQueue) {
                peek.forEachElement(key, e -> {
                    if (read[0] >= maxPerQueue) {
                        return false;
                    }
                    read[0]++;
                    identify(e.raw(), key, found);
                    return true;
                });
            }
        }
        return read[0] >= maxPerQueue && keys.stream().mapToLong(peek::length).sum() > read[0];
    }

    /** Hands (queue, task) of every {@code unacked} entry whose queue is known to {@code found}. */
    void readReserved(String unackedKey, RestoreTarget target, BiConsumer<String, String> found) {
        peek.forEachUnacked(unackedKey, v -> {
            try {
                JsonNode entry = JSON.readTree(v.raw());
                if (entry != null && entry.isArray() && entry.size() == 3) {
                    String queue =
                            target.queueOf(entry.get(1).asText(""), entry.get(2).asText(null));
                    if (queue != null) {
                        String task = entry.get(0).path("headers").path("task").asText(null);
                        found.accept(queue, task != null ? task : unackedTask(v.raw(), unackedKey));
                    }
                }
            } catch (IOException e) {
                // an unparsable entry has no queue to count it under
            }
            return true;
        });
    }

    private void identify(byte[] raw, String key, BiConsumer<String, String> found) {
        try {
            KombuEnvelope envelope = KombuEnvelope.parse(raw, key);
            String task = envelope.headers().path("task").asText(null);
            if (task == null) {
                CeleryMessage message = codec.decode(envelope, key);
                task = message.task();
            }
            found.accept(envelope.identity(), task);
        } catch (UndecodableMessageException e) {
            found.accept(KombuEnvelope.sha256(raw), UNDECODABLE);
        }
    }

    private String unackedTask(byte[] raw, String key) {
        try {
            return codec.decodeUnacked(raw, key).message().task();
        } catch (UndecodableMessageException e) {
            return UNDECODABLE;
        }
    }
}
