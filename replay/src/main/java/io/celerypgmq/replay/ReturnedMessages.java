package io.celerypgmq.replay;

import io.celerypgmq.bridge.codec.KombuEnvelope;
import io.celerypgmq.bridge.pump.ReversePump;
import io.celerypgmq.bridge.redis.ClaimedMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import redis.clients.jedis.UnifiedJedis;

/**
 * Messages that went to pgmq once, were rolled back to Celery with their envelope (and so their delivery tag) intact,
 * and are now drained again. The ledger already holds their identity, so without care the hand-off would count them
 * as duplicates and they would vanish from Redis without reaching pgmq. The reverse pump's marker for the pgmq copy
 * proves the way back; such a message gets a new delivery tag, as {@code celery migrate} gives every republished
 * message, derived from the old tag and the pgmq copy so that a redo after a crash picks the same one.
 */
final class ReturnedMessages {
    private final UnifiedJedis redis;

    ReturnedMessages(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** Identity → new delivery tag, for the known identities whose pgmq copy was moved back to Celery. */
    Map<String, String> renewals(Map<String, LedgerLookup.Sent> known) {
        Map<String, String> out = new HashMap<>();
        for (LedgerLookup.Sent s : known.values()) {
            if (s.pgmqMsgId() != null && redis.exists(ReversePump.markerKey(s.pgmqQueue(), s.pgmqMsgId()))) {
                String basis = "celery-pgmq:returned:" + s.identity() + ":" + s.pgmqQueue() + ":" + s.pgmqMsgId();
                out.put(
                        s.identity(),
                        UUID.nameUUIDFromBytes(basis.getBytes(StandardCharsets.UTF_8))
                                .toString());
            }
        }
        return out;
    }

    /** The batch with returned messages re-tagged; a message whose tag cannot be found is left as it is. */
    static List<ClaimedMessage> retag(List<ClaimedMessage> batch, Map<String, String> renewals) {
        List<ClaimedMessage> out = new ArrayList<>(batch.size());
        for (ClaimedMessage m : batch) {
            String identity = identity(m.raw());
            String fresh = identity == null ? null : renewals.get(identity);
            out.add(fresh == null ? m : new ClaimedMessage(m.sourceKey(), replaceTag(m.raw(), identity, fresh)));
        }
        return out;
    }

    private static String identity(byte[] raw) {
        try {
            return KombuEnvelope.parse(raw, null).identity();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Swaps the tag where kombu (", ") or a compact writer (",") put it; nothing else in the bytes changes. */
    static byte[] replaceTag(byte[] raw, String oldTag, String newTag) {
        String text = new String(raw, StandardCharsets.UTF_8);
        for (String sep : List.of("\"delivery_tag\": \"", "\"delivery_tag\":\"")) {
            String from = sep + oldTag + "\"";
            if (text.contains(from)) {
                return text.replace(from, sep + newTag + "\"").getBytes(StandardCharsets.UTF_8);
            }
        }
        return raw;
    }
}
