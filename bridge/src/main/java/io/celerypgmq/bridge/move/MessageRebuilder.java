package io.celerypgmq.bridge.move;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.EncodeTarget;
import io.celerypgmq.bridge.codec.KombuEnvelope;
import io.celerypgmq.bridge.codec.MessageValidator;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pump.CeleryHeaders;
import io.celerypgmq.bridge.pump.PayloadTemplate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a pgmq message back into Celery bytes; pure apart from the codec. Where the original kombu envelope is at hand
 * (the ledger's copy, an older build's {@code x-celery-envelope} header, or the pgmq message itself when it is a kombu
 * envelope: a route in {@code kombu} format, or a Celery producer on kombu's own {@code pgmq://} transport, recognised
 * by its shape with or without our headers) it goes back as it was; otherwise the message is synthesised from the
 * payload and headers, or the template's inverse.
 *
 * <p>A message going back to Celery is a new publish, as with {@code celery migrate}: it gets a new delivery tag,
 * derived from the pgmq queue and msg_id so a redo builds the same bytes. Keeping the original tag would make the
 * forward pump take the message for a duplicate if its task type were routed to pgmq again.
 */
public final class MessageRebuilder {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Celery bytes, the priority whose list they belong on, and the task's name (for reports). */
    public record Rebuilt(byte[] bytes, Integer priority, String task) {}

    private final CeleryCodec codec;
    private final Map<String, PayloadTemplate> templates;
    private final MessageValidator validator = MessageValidator.strict();

    public MessageRebuilder(CeleryCodec codec, Map<String, PayloadTemplate> templates) {
        this.codec = codec;
        this.templates = Map.copyOf(templates);
    }

    /**
     * @param envelopes the envelope copies the ledger keeps for this message's batch, by identity
     *     ({@link LockedRows.Taken#envelopes()})
     */
    public Rebuilt rebuild(PgmqMessage m, String pgmqQueue, String celeryQueue, Map<String, byte[]> envelopes) {
        JsonNode headers = parse(m.headers());
        String format = headers.path(CeleryHeaders.FORMAT).asText("");
        UUID tag = returnedTag(pgmqQueue, m.msgId());
        byte[] kept = format.equals("kombu")
                ? m.message().getBytes(StandardCharsets.UTF_8)
                : envelopes.get(headers.path(CeleryHeaders.IDENTITY).asText(""));
        if (kept == null && headers.hasNonNull(CeleryHeaders.ENVELOPE)) {
            kept = headers.get(CeleryHeaders.ENVELOPE).asText().getBytes(StandardCharsets.UTF_8);
        }
        if (kept != null) {
            return fromEnvelope(kept, celeryQueue, tag, taskOf(headers, null));
        }
        if (m.message() != null && !format.equals("task") && !format.equals("template")) {
            // a kombu envelope without our format header (a producer on pgmq://, or our kombu format's headers, which
            // are kombu's): recognised by its shape, parsed once, on its way back
            Rebuilt asEnvelope = asEnvelope(m.message().getBytes(StandardCharsets.UTF_8), celeryQueue, tag, headers);
            if (asEnvelope != null) {
                return asEnvelope;
            }
        }
        JsonNode payload = parse(m.message());
        CeleryMessage msg = synthesize(payload, headers);
        byte[] bytes = codec.encode(msg, EncodeTarget.of(celeryQueue, () -> tag).withPriority(msg.priority()));
        validator.validate(bytes);
        return new Rebuilt(bytes, codec.decode(bytes, "pgmq").priority(), msg.task());
    }

    /**
     * The original envelope goes back with a new tag, every other byte as it was, and is parsed once: for the
     * validator, which also shows the tag really is the new one. An envelope without a delivery tag to replace (kombu
     * always writes one; a hand-made message may not) is decoded and written again with one.
     */
    private Rebuilt fromEnvelope(byte[] kept, String celeryQueue, UUID tag, String task) {
        byte[] bytes = tryRetag(kept, tag);
        if (bytes == null) {
            CeleryMessage msg = codec.decode(kept, "pgmq");
            bytes = codec.encode(msg, EncodeTarget.of(celeryQueue, () -> tag).withPriority(msg.priority()));
        }
        KombuEnvelope retagged = KombuEnvelope.parse(bytes, "pgmq");
        if (!retagged.deliveryTag().orElse("").equals(tag.toString())) {
            throw new IllegalArgumentException("cannot give the envelope a new delivery_tag");
        }
        validator.validate(retagged);
        return new Rebuilt(bytes, retagged.priority().orElse(null), task);
    }

    /** The task's name as the pgmq headers give it (ours, or kombu's copy of the envelope's), or the envelope's. */
    private static String taskOf(JsonNode headers, KombuEnvelope envelope) {
        String task = headers.path(CeleryHeaders.TASK).asText(null);
        if (task == null) {
            task = headers.path("task").asText(null);
        }
        if (task == null && envelope != null) {
            task = envelope.headers().path("task").asText(null);
        }
        return task == null ? "(unknown)" : task;
    }

    /**
     * The message goes back as the envelope it is, or null when it does not have a kombu envelope's shape. The bytes are
     * retagged first and parsed once, for the shape and for the validator.
     */
    private Rebuilt asEnvelope(byte[] message, String celeryQueue, UUID tag, JsonNode headers) {
        byte[] retagged = tryRetag(message, tag);
        KombuEnvelope parsed;
        try {
            parsed = KombuEnvelope.parse(retagged != null ? retagged : message, "pgmq");
        } catch (RuntimeException e) {
            return null; // not even a JSON object: the payload path says why
        }
        if (!parsed.hasEnvelopeShape()) {
            return null;
        }
        if (retagged == null) {
            return fromEnvelope(message, celeryQueue, tag, taskOf(headers, parsed));
        }
        if (!parsed.deliveryTag().orElse("").equals(tag.toString())) {
            throw new IllegalArgumentException("cannot give the envelope a new delivery_tag");
        }
        validator.validate(parsed);
        return new Rebuilt(retagged, parsed.priority().orElse(null), taskOf(headers, parsed));
    }

    /** The delivery tag of a pgmq message sent back to Celery: the same on every redo. */
    public static UUID returnedTag(String pgmqQueue, long msgId) {
        byte[] md5 =
                MD5.get().digest(("celery-pgmq:returned:" + pgmqQueue + ":" + msgId).getBytes(StandardCharsets.UTF_8));
        // UUID.nameUUIDFromBytes, with a digest kept per thread instead of one looked up for every message
        md5[6] &= 0x0f;
        md5[6] |= 0x30;
        md5[8] &= 0x3f;
        md5[8] |= (byte) 0x80;
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (md5[i] & 0xff);
            lsb = (lsb << 8) | (md5[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
    }

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    });

    private static final byte[][] TAG_FIELDS = {
        "\"delivery_tag\": \"".getBytes(StandardCharsets.US_ASCII),
        "\"delivery_tag\":\"".getBytes(StandardCharsets.US_ASCII)
    };

    /**
     * The envelope with only its delivery tag's value replaced; every other byte stays as it was. The field must
     * appear exactly once as written by kombu ({@code "delivery_tag": "..."}, with or without the space); inside
     * an escaped JSON string (argsrepr, say) its quotes would be preceded by backslashes and not match. Works on
     * the bytes: the field and the tag are ASCII, which no multi-byte UTF-8 sequence contains.
     */
    static byte[] retag(byte[] envelope, UUID tag) {
        byte[] out = tryRetag(envelope, tag);
        if (out == null) {
            throw new IllegalArgumentException("cannot give the envelope a new delivery_tag: field not found once");
        }
        return out;
    }

    /** As {@link #retag}, or null where the field is not there exactly once. */
    static byte[] tryRetag(byte[] envelope, UUID tag) {
        for (byte[] field : TAG_FIELDS) {
            int at = indexOf(envelope, field, 0);
            if (at < 0 || indexOf(envelope, field, at + 1) >= 0) {
                continue;
            }
            int start = at + field.length;
            int end = start;
            while (end < envelope.length && envelope[end] != '"' && envelope[end] != '\\') {
                end++;
            }
            if (end == envelope.length || envelope[end] != '"') {
                continue;
            }
            byte[] value = tag.toString().getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[envelope.length - (end - start) + value.length];
            System.arraycopy(envelope, 0, out, 0, start);
            System.arraycopy(value, 0, out, start, value.length);
            System.arraycopy(envelope, end, out, start + value.length, envelope.length - end);
            return out;
        }
        return null;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private CeleryMessage synthesize(JsonNode payload, JsonNode headers) {
        String task =
                payload.path("task").asText(headers.path(CeleryHeaders.TASK).asText(""));
        if (task.isEmpty()) {
            throw new IllegalArgumentException("no task name in payload or x-celery-task header");
        }
        CeleryMessage.Builder b = CeleryMessage.builder().protocol(2).task(task);
        PayloadTemplate template = templates.get(task);
        String id;
        if (template != null && !payload.has("args")) {
            PayloadTemplate.Inverted inv = template.invert(payload);
            b.args(inv.args()).kwargs(inv.kwargs());
            id = inv.id();
        } else if (payload.has("args") || payload.has("kwargs")) {
            b.args(
                            payload.has("args")
                                    ? (com.fasterxml.jackson.databind.node.ArrayNode) payload.get("args")
                                    : JSON.createArrayNode())
                    .kwargs(
                            payload.has("kwargs")
                                    ? (com.fasterxml.jackson.databind.node.ObjectNode) payload.get("kwargs")
                                    : JSON.createObjectNode());
            id = payload.path("id").asText(null);
        } else {
            throw new IllegalArgumentException("payload for " + task + " has no args/kwargs and no template");
        }
        if (id == null) {
            id = headers.path(CeleryHeaders.ID).asText(null);
        }
        b.id(id != null ? id : java.util.UUID.randomUUID().toString());
        text(payload, headers, "eta", CeleryHeaders.ETA).ifPresent(b::eta);
        text(payload, headers, "expires", CeleryHeaders.EXPIRES).ifPresent(b::expires);
        b.retries(payload.path("retries")
                .asInt(headers.path(CeleryHeaders.RETRIES).asInt(0)));
        text(payload, headers, "root_id", CeleryHeaders.ROOT_ID).ifPresent(b::rootId);
        text(payload, headers, "parent_id", CeleryHeaders.PARENT_ID).ifPresent(b::parentId);
        JsonNode prio = payload.hasNonNull("priority") ? payload.get("priority") : headers.get(CeleryHeaders.PRIORITY);
        if (prio != null && prio.canConvertToInt()) {
            b.priority(prio.asInt());
        }
        return b.build();
    }

    private static java.util.Optional<String> text(JsonNode payload, JsonNode headers, String field, String header) {
        JsonNode v = payload.hasNonNull(field) ? payload.get(field) : headers.get(header);
        return v == null || v.isNull() ? java.util.Optional.empty() : java.util.Optional.of(v.asText());
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
    }
}
