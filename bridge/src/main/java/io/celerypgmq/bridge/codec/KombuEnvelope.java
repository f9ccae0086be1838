package io.celerypgmq.bridge.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.UndecodableMessageException.Reason;
import io.celerypgmq.bridge.codec.internal.PythonJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One element of a Celery queue list in Redis: the kombu envelope {@code {"body", "content-encoding", "content-type",
 * "headers", "properties"}} exactly as parsed, key order kept, together with the raw bytes it came from. It is a view:
 * nothing is validated beyond "a JSON object", so even a message a worker would choke on can be inspected.
 */
public final class KombuEnvelope {
    private final byte[] raw;
    private final ObjectNode json;

    private KombuEnvelope(byte[] raw, ObjectNode json) {
        this.raw = raw;
        this.json = json;
    }

    /**
     * Parses a list element. Like kombu, the bytes are read as UTF-8 with invalid sequences replaced, so both the
     * ASCII-escaped envelopes kombu writes and raw UTF-8 ones are accepted.
     */
    public static KombuEnvelope parse(byte[] raw, String sourceKey) {
        byte[] copy = raw.clone();
        JsonNode root;
        try {
            root = PythonJson.parse(new String(copy, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new UndecodableMessageException(
                    sourceKey, sha256(copy), Reason.BAD_ENVELOPE_JSON, e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            String type =
                    root == null ? "nothing" : root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
            throw new UndecodableMessageException(
                    sourceKey, sha256(copy), Reason.ENVELOPE_NOT_OBJECT, "the element is JSON " + type);
        }
        return new KombuEnvelope(copy, (ObjectNode) root);
    }

    /** {@code sha256:<hex>} of the given bytes: the identity of a message that has no delivery tag. */
    public static String sha256(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public byte[] raw() {
        return raw.clone();
    }

    /**
     * A 64-bit digest of what makes this message the task it is: the body field as stored (or, without a textual
     * body, the whole element). Headers and properties are left out on purpose: kombu rewrites them when it restores
     * an unacked message ({@code redelivered}), and that copy is still the same message. Two CRCs with different
     * polynomials, each hardware-accelerated, cost well under a microsecond for a typical message; the ledger keeps the
     * digest so a later message under the same identity can be told apart from a true duplicate.
     */
    public long contentDigest() {
        JsonNode body = json.get("body");
        byte[] bytes = body != null && body.isTextual() ? body.textValue().getBytes(StandardCharsets.UTF_8) : raw;
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(bytes);
        java.util.zip.CRC32 d = new java.util.zip.CRC32();
        d.update(bytes);
        return (c.getValue() << 32) | d.getValue();
    }

    int rawLength() {
        return raw.length;
    }

    boolean sameBytes(byte[] other) {
        return Arrays.equals(raw, other);
    }

    /** A copy of the whole envelope object. */
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** The body field as stored: normally base64 text, raw text when {@code body_encoding} is absent. */
    public Optional<JsonNode> body() {
        return Optional.ofNullable(json.get("body")).map(JsonNode::deepCopy);
    }

    public Optional<String> contentType() {
        return text(json, "content-type");
    }

    public Optional<String> contentEncoding() {
        return text(json, "content-encoding");
    }

    /** The headers object; kombu treats a missing or null one as empty. */
    public ObjectNode headers() {
        return headersView().deepCopy();
    }

    /*
     * Views for this package's readers (the codec, the body reader, the validator), which only read: the public
     * getters hand out copies, and copying the whole envelope two or three times per message was a large share of the
     * decode. CeleryMessage copies whatever it keeps.
     */

    /**
     * Whether this is a kombu envelope by its shape alone: a textual {@code body}, a {@code content-type}, and
     * {@code headers} and {@code properties} objects (what kombu's transports store, whoever published it); neither a
     * {@code task} payload nor a template's has all four.
     */
    public boolean hasEnvelopeShape() {
        return json.path("body").isTextual()
                && json.path("content-type").isTextual()
                && json.path("headers").isObject()
                && json.path("properties").isObject();
    }

    /** The envelope object itself, not a copy: read it, never change it. */
    ObjectNode view() {
        return json;
    }

    /** The headers object itself (an empty one when missing or not an object): read it, never change it. */
    ObjectNode headersView() {
        JsonNode headers = json.get("headers");
        return headers != null && headers.isObject()
                ? (ObjectNode) headers
                : PythonJson.mapper().createObjectNode();
    }

    /** The properties object itself (an empty one when missing or not an object): read it, never change it. */
    ObjectNode propertiesView() {
        JsonNode props = json.get("properties");
        return props != null && props.isObject()
                ? (ObjectNode) props
                : PythonJson.mapper().createObjectNode();
    }

    boolean headersMalformed() {
        JsonNode headers = json.get("headers");
        return headers != null && !headers.isNull() && !headers.isObject();
    }

    /** The properties object, or an empty one when absent (a 5.2 worker exits on such a message). */
    public ObjectNode properties() {
        return propertiesView().deepCopy();
    }

    /** One property, copied (the whole properties object is not copied to read one). */
    public Optional<JsonNode> property(String name) {
        return Optional.ofNullable(propertiesView().get(name)).map(JsonNode::deepCopy);
    }

    public Optional<String> bodyEncoding() {
        return text(json.get("properties"), "body_encoding");
    }

    public Optional<String> deliveryTag() {
        return text(json.get("properties"), "delivery_tag").filter(tag -> !tag.isBlank());
    }

    /** {@code properties.delivery_info}, when it is an object. */
    public Optional<ObjectNode> deliveryInfo() {
        JsonNode props = json.get("properties");
        JsonNode info = props == null ? null : props.get("delivery_info");
        return info != null && info.isObject() ? Optional.of(((ObjectNode) info).deepCopy()) : Optional.empty();
    }

    public Optional<String> correlationId() {
        return text(json.get("properties"), "correlation_id");
    }

    public Optional<String> replyTo() {
        return text(json.get("properties"), "reply_to");
    }

    public Optional<String> expiration() {
        return text(json.get("properties"), "expiration");
    }

    /** {@code properties.priority} as an int; a worker also accepts a numeric string such as {@code "5"}. */
    public Optional<Integer> priority() {
        return integer(json.get("properties"), "priority");
    }

    public Optional<Integer> deliveryMode() {
        return integer(json.get("properties"), "delivery_mode");
    }

    /** The message identity: the delivery tag, or {@code sha256:<hex>} of the raw bytes when there is none. */
    public String identity() {
        return deliveryTag().orElseGet(() -> sha256(raw));
    }

    static Optional<String> text(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || node.isNull() || node.isContainerNode()) {
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    static Optional<Integer> integer(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return Optional.of(node.intValue());
        }
        if (node.isTextual()) {
            try {
                return Optional.of(Integer.parseInt(node.textValue().strip()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KombuEnvelope other && Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        String text = PythonJson.dumps(json);
        return "KombuEnvelope[" + raw.length + " bytes: " + (text.length() > 300 ? text.substring(0, 300) + "…" : text)
                + "]";
    }
}
