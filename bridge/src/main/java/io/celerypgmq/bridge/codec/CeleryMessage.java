package io.celerypgmq.bridge.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.internal.PythonJson;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * A Celery task message in one canonical shape, whichever protocol (1 or 2), serializer and compression it arrived in.
 *
 * <p>Values are Jackson nodes holding the JSON Celery's own json serializer would produce for them: tuples and sets
 * are arrays, datetimes, dates, times, Decimals and UUIDs are the strings kombu 5.2's JSON encoder writes, bytes are
 * standard padded base64 text, large integers are BigInteger nodes, NaN and infinities are double nodes (see
 * {@link CeleryCodec} for the full table). Every accessor returns a copy; the object is immutable.
 *
 * <p>A message decoded from Redis remembers its {@link KombuEnvelope}. As long as nothing is changed through
 * {@link #toBuilder()}, encoding it for the same queue, priority and protocol returns the original bytes.
 */
public final class CeleryMessage {
    private final int protocol;
    private final String task;
    private final String id;
    private final ArrayNode args;
    private final ObjectNode kwargs;
    private final JsonNode callbacks;
    private final JsonNode errbacks;
    private final JsonNode chain;
    private final JsonNode chord;
    private final String eta;
    private final String expires;
    private final int retries;
    private final Integer priority;
    private final String rootId;
    private final String parentId;
    private final String group;
    private final Integer groupIndex;
    private final TimeLimit timelimit;
    private final String shadow;
    private final String origin;
    private final String argsrepr;
    private final String kwargsrepr;
    private final boolean ignoreResult;
    private final JsonNode stamps;
    private final JsonNode stampedHeaders;
    private final Integer replacedTaskNesting;
    private final ObjectNode customHeaders;
    private final String correlationId;
    private final String replyTo;
    private final Integer deliveryMode;
    private final ObjectNode deliveryInfo;
    private final String deliveryTag;
    private final String expiration;
    private final String contentType;
    private final String contentEncoding;
    private final String compression;
    private final String sourceKey;
    private final String identity;
    private final KombuEnvelope source;
    private final int bodyBytes;

    private CeleryMessage(Builder b, KombuEnvelope source) {
        if (b.protocol != 1 && b.protocol != 2) {
            throw new IllegalArgumentException("protocol must be 1 or 2, not " + b.protocol);
        }
        this.protocol = b.protocol;
        this.task = requireText(b.task, "task");
        this.id = requireText(b.id, "id");
        this.args = b.args == null ? PythonJson.mapper().createArrayNode() : b.args.deepCopy();
        this.kwargs = b.kwargs == null ? PythonJson.mapper().createObjectNode() : b.kwargs.deepCopy();
        this.callbacks = copy(b.callbacks);
        this.errbacks = copy(b.errbacks);
        this.chain = copy(b.chain);
        this.chord = copy(b.chord);
        this.eta = checkTime(b.eta, "eta");
        this.expires = checkTime(b.expires, "expires");
        this.retries = b.retries;
        this.priority = b.priority;
        this.rootId = b.rootId;
        this.parentId = b.parentId;
        this.group = b.group;
        this.groupIndex = b.groupIndex;
        this.timelimit = b.timelimit == null ? TimeLimit.NONE : b.timelimit;
        this.shadow = b.shadow;
        this.origin = b.origin;
        this.argsrepr = b.argsrepr;
        this.kwargsrepr = b.kwargsrepr;
        this.ignoreResult = b.ignoreResult;
        this.stamps = copy(b.stamps);
        this.stampedHeaders = copy(b.stampedHeaders);
        this.replacedTaskNesting = b.replacedTaskNesting;
        this.customHeaders =
                b.customHeaders == null ? PythonJson.mapper().createObjectNode() : b.customHeaders.deepCopy();
        this.correlationId = b.correlationId;
        this.replyTo = b.replyTo;
        this.deliveryMode = b.deliveryMode;
        this.deliveryInfo = b.deliveryInfo == null ? null : b.deliveryInfo.deepCopy();
        this.deliveryTag = b.deliveryTag;
        this.expiration = b.expiration;
        this.contentType = b.contentType == null ? Serializer.JSON.contentType() : b.contentType;
        this.contentEncoding = b.contentEncoding;
        this.compression = b.compression;
        this.sourceKey = b.sourceKey;
        this.source = source;
        this.bodyBytes = b.bodyBytes;
        this.identity = deliveryTag != null && !deliveryTag.isBlank()
                ? deliveryTag
                : source != null ? KombuEnvelope.sha256(source.raw()) : null;
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a Celery message needs a non-blank " + name);
        }
        return value;
    }

    private static String checkTime(String value, String name) {
        if (value != null) {
            try {
                CeleryTime.parse(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid " + name + ": " + e.getMessage(), e);
            }
        }
        return value;
    }

    private static JsonNode copy(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.deepCopy();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preloaded with this message; building it unchanged keeps the link to the original bytes. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public int protocol() {
        return protocol;
    }

    public String task() {
        return task;
    }

    public String id() {
        return id;
    }

    public ArrayNode args() {
        return args.deepCopy();
    }

    public ObjectNode kwargs() {
        return kwargs.deepCopy();
    }

    /** {@code embed.callbacks} (links) as a JSON array of signatures, or null for None. */
    public JsonNode callbacks() {
        return copy(callbacks);
    }

    public JsonNode errbacks() {
        return copy(errbacks);
    }

    /** {@code embed.chain}: the remaining chain, last task first, as Celery stores it; null for None. */
    public JsonNode chain() {
        return copy(chain);
    }

    public JsonNode chord() {
        return copy(chord);
    }

    /** The eta text exactly as Celery wrote it (ISO 8601, possibly naive), or null. */
    public String eta() {
        return eta;
    }

    /** The eta as an instant; a naive eta is read as UTC (see {@link CeleryTime}). */
    public Optional<OffsetDateTime> etaTime() {
        return Optional.ofNullable(eta).map(t -> CeleryTime.parse(t).resolve());
    }

    public Optional<OffsetDateTime> etaTime(ZoneId naiveZone) {
        return Optional.ofNullable(eta).map(t -> CeleryTime.parse(t).resolve(naiveZone));
    }

    public boolean etaIsNaive() {
        return eta != null && CeleryTime.parse(eta).isNaive();
    }

    public String expires() {
        return expires;
    }

    public Optional<OffsetDateTime> expiresTime() {
        return Optional.ofNullable(expires).map(t -> CeleryTime.parse(t).resolve());
    }

    public Optional<OffsetDateTime> expiresTime(ZoneId naiveZone) {
        return Optional.ofNullable(expires).map(t -> CeleryTime.parse(t).resolve(naiveZone));
    }

    public int retries() {
        return retries;
    }

    /** {@code properties.priority} as published (may lie outside 0..9); null when absent. */
    public Integer priority() {
        return priority;
    }

    public String rootId() {
        return rootId;
    }

    public String parentId() {
        return parentId;
    }

    public String group() {
        return group;
    }

    public Integer groupIndex() {
        return groupIndex;
    }

    public TimeLimit timelimit() {
        return timelimit;
    }

    public String shadow() {
        return shadow;
    }

    public String origin() {
        return origin;
    }

    public String argsrepr() {
        return argsrepr;
    }

    public String kwargsrepr() {
        return kwargsrepr;
    }

    public boolean ignoreResult() {
        return ignoreResult;
    }

    /** Celery ≥ 5.3 {@code stamps}; null when absent. */
    public JsonNode stamps() {
        return copy(stamps);
    }

    public JsonNode stampedHeaders() {
        return copy(stampedHeaders);
    }

    public Integer replacedTaskNesting() {
        return replacedTaskNesting;
    }

    /** Every header that is not Celery's own, in order; includes {@code redelivered} after a restore. */
    public ObjectNode customHeaders() {
        return customHeaders.deepCopy();
    }

    public String correlationId() {
        return correlationId;
    }

    public String replyTo() {
        return replyTo;
    }

    public Integer deliveryMode() {
        return deliveryMode;
    }

    public ObjectNode deliveryInfo() {
        return deliveryInfo == null ? null : deliveryInfo.deepCopy();
    }

    public String deliveryTag() {
        return deliveryTag;
    }

    /** {@code properties.expiration} (milliseconds as text), only present when Celery had an expires. */
    public String expiration() {
        return expiration;
    }

    /** The serializer's content type, for example {@code application/json}. */
    public String contentType() {
        return contentType;
    }

    public Optional<Serializer> serializer() {
        return Serializer.forContentType(contentType);
    }

    public String contentEncoding() {
        return contentEncoding;
    }

    /** {@code headers.compression} as written (a MIME type such as {@code application/x-gzip}), or null. */
    public String compression() {
        return compression;
    }

    /** The Redis key the message was read from; null for a message built in code. */
    public String sourceKey() {
        return sourceKey;
    }

    /** The delivery tag, or {@code sha256:<hex>} of the original bytes; null for a new message without a tag. */
    public String identity() {
        return identity;
    }

    /**
     * How many bytes the body held once decoded (base64 undone, decompressed) when this message came from Redis; 0
     * for a message built in code. With the raw length it tells what holding the message costs in memory.
     */
    public int decodedBodyBytes() {
        return bodyBytes;
    }

    /** The envelope this message was decoded from, while the message is unchanged. */
    public Optional<KombuEnvelope> source() {
        return Optional.ofNullable(source);
    }

    /** The queue the message was published for: {@code delivery_info.routing_key}, else null. */
    public String routingKey() {
        return deliveryInfo == null || deliveryInfo.get("routing_key") == null
                ? null
                : deliveryInfo.get("routing_key").asText(null);
    }

    private boolean sameContent(CeleryMessage o) {
        return protocol == o.protocol
                && retries == o.retries
                && ignoreResult == o.ignoreResult
                && task.equals(o.task)
                && id.equals(o.id)
                && args.equals(o.args)
                && kwargs.equals(o.kwargs)
                && Objects.equals(callbacks, o.callbacks)
                && Objects.equals(errbacks, o.errbacks)
                && Objects.equals(chain, o.chain)
                && Objects.equals(chord, o.chord)
                && Objects.equals(eta, o.eta)
                && Objects.equals(expires, o.expires)
                && Objects.equals(priority, o.priority)
                && Objects.equals(rootId, o.rootId)
                && Objects.equals(parentId, o.parentId)
                && Objects.equals(group, o.group)
                && Objects.equals(groupIndex, o.groupIndex)
                && timelimit.equals(o.timelimit)
                && Objects.equals(shadow, o.shadow)
                && Objects.equals(origin, o.origin)
                && Objects.equals(argsrepr, o.argsrepr)
                && Objects.equals(kwargsrepr, o.kwargsrepr)
                && Objects.equals(stamps, o.stamps)
                && Objects.equals(stampedHeaders, o.stampedHeaders)
                && Objects.equals(replacedTaskNesting, o.replacedTaskNesting)
                && customHeaders.equals(o.customHeaders)
                && Objects.equals(correlationId, o.correlationId)
                && Objects.equals(replyTo, o.replyTo)
                && Objects.equals(deliveryMode, o.deliveryMode)
                && Objects.equals(deliveryInfo, o.deliveryInfo)
                && Objects.equals(deliveryTag, o.deliveryTag)
                && Objects.equals(expiration, o.expiration)
                && contentType.equals(o.contentType)
                && Objects.equals(contentEncoding, o.contentEncoding)
                && Objects.equals(compression, o.compression);
    }

    /** Equal when every Celery-visible field is equal; where the message came from does not count. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CeleryMessage other && sameContent(other);
    }

    @Override
    public int hashCode() {
        return Objects.hash(task, id, args, kwargs, deliveryTag);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("CeleryMessage[");
        out.append(task).append(" id=").append(id).append(" protocol=").append(protocol);
        out.append(" args=").append(abbreviate(PythonJson.dumps(args)));
        out.append(" kwargs=").append(abbreviate(PythonJson.dumps(kwargs)));
        appendIf(out, "eta", eta);
        appendIf(out, "expires", expires);
        if (retries != 0) {
            out.append(" retries=").append(retries);
        }
        appendIf(out, "priority", priority);
        appendIf(out, "group", group);
        appendIf(out, "parent_id", parentId);
        if (callbacks != null || errbacks != null || chain != null || chord != null) {
            out.append(" links=").append(callbacks == null ? 0 : callbacks.size());
            out.append('/').append(errbacks == null ? 0 : errbacks.size());
            out.append(" chain=").append(chain == null ? 0 : chain.size());
            out.append(" chord=").append(chord != null);
        }
        if (!customHeaders.isEmpty()) {
            out.append(" headers=").append(abbreviate(PythonJson.dumps(customHeaders)));
        }
        out.append(" content_type=").append(contentType);
        appendIf(out, "compression", compression);
        appendIf(out, "identity", identity);
        if (sourceKey != null) {
            out.append(" from=").append(Printable.key(sourceKey));
        }
        return out.append(']').toString();
    }

    private static void appendIf(StringBuilder out, String name, Object value) {
        if (value != null) {
            out.append(' ').append(name).append('=').append(value);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    /** Builds a message; {@code task} and {@code id} are required, everything else defaults to what Celery sends. */
    public static final class Builder {
        private final CeleryMessage original;
        private int protocol = 2;
        private String task;
        private String id;
        private ArrayNode args;
        private ObjectNode kwargs;
        private JsonNode callbacks;
        private JsonNode errbacks;
        private JsonNode chain;
        private JsonNode chord;
        private String eta;
        private String expires;
        private int retries;
        private Integer priority;
        private String rootId;
        private String parentId;
        private String group;
        private Integer groupIndex;
        private TimeLimit timelimit = TimeLimit.NONE;
        private String shadow;
        private String origin;
        private String argsrepr;
        private String kwargsrepr;
        private boolean ignoreResult;
        private JsonNode stamps;
        private JsonNode stampedHeaders;
        private Integer replacedTaskNesting;
        private ObjectNode customHeaders;
        private String correlationId;
        private String replyTo;
        private Integer deliveryMode;
        private ObjectNode deliveryInfo;
        private String deliveryTag;
        private String expiration;
        private String contentType;
        private String contentEncoding;
        private String compression;
        private String sourceKey;
        private KombuEnvelope source;
        private int bodyBytes;

        private Builder() {
            this.original = null;
        }

        private Builder(CeleryMessage m) {
            this.original = m;
            protocol = m.protocol;
            task = m.task;
            id = m.id;
            args = m.args;
            kwargs = m.kwargs;
            callbacks = m.callbacks;
            errbacks = m.errbacks;
            chain = m.chain;
            chord = m.chord;
            eta = m.eta;
            expires = m.expires;
            retries = m.retries;
            priority = m.priority;
            rootId = m.rootId;
            parentId = m.parentId;
            group = m.group;
            groupIndex = m.groupIndex;
            timelimit = m.timelimit;
            shadow = m.shadow;
            origin = m.origin;
            argsrepr = m.argsrepr;
            kwargsrepr = m.kwargsrepr;
            ignoreResult = m.ignoreResult;
            stamps = m.stamps;
            stampedHeaders = m.stampedHeaders;
            replacedTaskNesting = m.replacedTaskNesting;
            customHeaders = m.customHeaders;
            correlationId = m.correlationId;
            replyTo = m.replyTo;
            deliveryMode = m.deliveryMode;
            deliveryInfo = m.deliveryInfo;
            deliveryTag = m.deliveryTag;
            expiration = m.expiration;
            contentType = m.contentType;
            contentEncoding = m.contentEncoding;
            compression = m.compression;
            sourceKey = m.sourceKey;
            source = m.source;
            bodyBytes = m.bodyBytes;
        }

        /** The decoded body's size, as the codec measured it (not part of the message's content). */
        Builder bodyBytes(int value) {
            bodyBytes = value;
            return this;
        }

        public Builder protocol(int value) {
            protocol = value;
            return this;
        }

        public Builder task(String value) {
            task = value;
            return this;
        }

        public Builder id(String value) {
            id = value;
            return this;
        }

        public Builder args(ArrayNode value) {
            args = value;
            return this;
        }

        public Builder kwargs(ObjectNode value) {
            kwargs = value;
            return this;
        }

        public Builder callbacks(JsonNode value) {
            callbacks = value;
            return this;
        }

        public Builder errbacks(JsonNode value) {
            errbacks = value;
            return this;
        }

        public Builder chain(JsonNode value) {
            chain = value;
            return this;
        }

        public Builder chord(JsonNode value) {
            chord = value;
            return this;
        }

        /** The eta as ISO 8601 text; it must parse the way a worker parses it. */
        public Builder eta(String value) {
            eta = value;
            return this;
        }

        /** The eta as an instant; written with its offset as Python's isoformat would. */
        public Builder eta(OffsetDateTime value) {
            eta = value == null ? null : CeleryTime.of(value).isoformat();
            return this;
        }

        public Builder expires(String value) {
            expires = value;
            return this;
        }

        public Builder expires(OffsetDateTime value) {
            expires = value == null ? null : CeleryTime.of(value).isoformat();
            return this;
        }

        public Builder retries(int value) {
            retries = value;
            return this;
        }

        public Builder priority(Integer value) {
            priority = value;
            return this;
        }

        public Builder rootId(String value) {
            rootId = value;
            return this;
        }

        public Builder parentId(String value) {
            parentId = value;
            return this;
        }

        public Builder group(String value) {
            group = value;
            return this;
        }

        public Builder groupIndex(Integer value) {
            groupIndex = value;
            return this;
        }

        public Builder timelimit(TimeLimit value) {
            timelimit = value;
            return this;
        }

        public Builder shadow(String value) {
            shadow = value;
            return this;
        }

        public Builder origin(String value) {
            origin = value;
            return this;
        }

        /** Display form of the args; left null, the encoder computes Python's repr. */
        public Builder argsrepr(String value) {
            argsrepr = value;
            return this;
        }

        public Builder kwargsrepr(String value) {
            kwargsrepr = value;
            return this;
        }

        public Builder ignoreResult(boolean value) {
            ignoreResult = value;
            return this;
        }

        public Builder stamps(JsonNode value) {
            stamps = value;
            return this;
        }

        public Builder stampedHeaders(JsonNode value) {
            stampedHeaders = value;
            return this;
        }

        public Builder replacedTaskNesting(Integer value) {
            replacedTaskNesting = value;
            return this;
        }

        public Builder customHeaders(ObjectNode value) {
            customHeaders = value;
            return this;
        }

        public Builder correlationId(String value) {
            correlationId = value;
            return this;
        }

        public Builder replyTo(String value) {
            replyTo = value;
            return this;
        }

        public Builder deliveryMode(Integer value) {
            deliveryMode = value;
            return this;
        }

        public Builder deliveryInfo(ObjectNode value) {
            deliveryInfo = value;
            return this;
        }

        public Builder deliveryTag(String value) {
            deliveryTag = value;
            return this;
        }

        public Builder expiration(String value) {
            expiration = value;
            return this;
        }

        public Builder contentType(String value) {
            contentType = value;
            return this;
        }

        public Builder contentEncoding(String value) {
            contentEncoding = value;
            return this;
        }

        public Builder compression(String value) {
            compression = value;
            return this;
        }

        public Builder sourceKey(String value) {
            sourceKey = value;
            return this;
        }

        Builder source(KombuEnvelope value) {
            source = value;
            return this;
        }

        /**
         * Builds the message. When this builder came from {@link CeleryMessage#toBuilder()} and nothing was changed,
         * the result keeps the original envelope, so it re-encodes to the original bytes.
         */
        public CeleryMessage build() {
            CeleryMessage candidate = new CeleryMessage(this, null);
            if (source == null) {
                return candidate;
            }
            if (original != null && !candidate.sameContent(original)) {
                return candidate;
            }
            return new CeleryMessage(this, source);
        }
    }
}
