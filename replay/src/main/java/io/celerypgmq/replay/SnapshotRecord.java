package io.celerypgmq.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * One line of a snapshot file: a message exactly as it sat in Redis, where, and who it is.
 *
 * @param kind {@code list} (a queue or priority list element) or {@code unacked} (a value of the unacked hash)
 * @param source the Redis key, with the global key prefix
 * @param position list elements: offset from the tail (0 = next to be consumed); unacked: 0
 * @param tag unacked: the delivery tag (hash field); null for list elements
 * @param deliveredAt unacked: the unacked_index score; 0 for list elements
 * @param identity delivery tag or {@code sha256:<hex>}, as the ledger keys messages
 * @param task task name when it could be decoded, else null
 * @param raw the exact bytes (list element, or unacked value)
 */
record SnapshotRecord(
        String kind,
        String source,
        long position,
        String tag,
        double deliveredAt,
        String identity,
        String task,
        byte[] raw) {
    static final String LIST = "list";
    static final String UNACKED = "unacked";
    private static final ObjectMapper JSON = new ObjectMapper();

    SnapshotRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(raw, "raw");
    }

    /** JSON: the bytes as text when they are UTF-8 (readable, greppable), else base64. */
    String toJsonLine() {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", kind);
        o.put("source", source);
        o.put("position", position);
        if (tag != null) {
            o.put("tag", tag);
            o.put("delivered_at", deliveredAt);
        }
        o.put("identity", identity);
        o.put("task", task);
        String text = utf8(raw);
        if (text != null) {
            o.put("raw", text);
        } else {
            o.put("raw_base64", Base64.getEncoder().encodeToString(raw));
        }
        return o.toString();
    }

    static SnapshotRecord parse(JsonNode o) {
        byte[] raw = o.hasNonNull("raw")
                ? o.get("raw").textValue().getBytes(StandardCharsets.UTF_8)
                : Base64.getDecoder().decode(o.path("raw_base64").asText());
        return new SnapshotRecord(
                o.path("kind").asText(),
                o.path("source").asText(),
                o.path("position").asLong(),
                o.hasNonNull("tag") ? o.get("tag").asText() : null,
                o.path("delivered_at").asDouble(),
                o.path("identity").asText(),
                o.hasNonNull("task") ? o.get("task").asText() : null,
                raw);
    }

    private static String utf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
