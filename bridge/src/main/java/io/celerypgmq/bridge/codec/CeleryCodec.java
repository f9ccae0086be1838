package io.celerypgmq.bridge.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.celerypgmq.bridge.codec.UndecodableMessageException.Reason;
import io.celerypgmq.bridge.codec.internal.BodyException;
import io.celerypgmq.bridge.codec.internal.PythonJson;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads Celery task messages from the bytes found in Redis and writes them back, pure and thread-safe.
 *
 * <h2>What values become</h2>
 * Every serializer maps to the JSON Celery's own json serializer (kombu 5.2) would have produced:
 * <table>
 *   <caption>natural JSON form</caption>
 *   <tr><th>Python value</th><th>JSON here</th></tr>
 *   <tr><td>tuple, list, set, frozenset</td><td>array (sets in pickle order)</td></tr>
 *   <tr><td>int beyond 64 bits</td><td>BigInteger node</td></tr>
 *   <tr><td>float NaN, ±inf</td><td>double node (written back as {@code NaN}, {@code Infinity})</td></tr>
 *   <tr><td>datetime</td><td>ISO text; aware UTC ends in {@code Z}, other offsets kept, naive without offset</td></tr>
 *   <tr><td>date</td><td>{@code "YYYY-MM-DDT00:00:00"}</td></tr>
 *   <tr><td>time, Decimal, UUID</td><td>{@code isoformat()}, {@code str()}, canonical UUID text</td></tr>
 *   <tr><td>bytes, bytearray, msgpack bin, YAML !!binary</td><td>standard padded base64 text</td></tr>
 *   <tr><td>kombu ≥ 5.3 {@code {"__type__", "__value__"}}</td><td>the same forms as above</td></tr>
 *   <tr><td>msgpack timestamp ext</td><td>ISO text in UTC ending in {@code Z}</td></tr>
 *   <tr><td>other msgpack ext</td><td>{@code {"__msgpack_ext__": type, "data": base64}}</td></tr>
 *   <tr><td>pickled timedelta or unknown class</td><td>{@code {"__class__": "module.Name", "args": [...],
 *       "state": ...}} (or refused, see {@link PicklePolicy})</td></tr>
 *   <tr><td>pickled class reference never called</td><td>{@code {"__global__": "module.name"}}</td></tr>
 *   <tr><td>dict keys</td><td>as {@code json.dumps} converts them; tuple or bytes keys are refused</td></tr>
 * </table>
 *
 * <p>{@link #decode} never throws anything but {@link UndecodableMessageException}.
 */
public final class CeleryCodec {
    private final CodecOptions options;
    private final BodyReader bodies;
    private final MessageValidator validator;

    public CeleryCodec(CodecOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.bodies = new BodyReader(options);
        this.validator = new MessageValidator(MessageValidator.NaiveEtaPolicy.WARN, options);
    }

    public static CeleryCodec withDefaults() {
        return new CeleryCodec(CodecOptions.defaults());
    }

    public CodecOptions options() {
        return options;
    }

    /**
     * Decodes one list element. {@code sourceKey} is the Redis key it was read from (kept on the message and in
     * errors; may be null).
     */
    public CeleryMessage decode(byte[] raw, String sourceKey) {
        if (raw == null) {
            throw new UndecodableMessageException(sourceKey, null, Reason.MISSING_FIELD, "no bytes");
        }
        if (raw.length > options.maxMessageBytes()) {
            throw new UndecodableMessageException(
                    sourceKey,
                    KombuEnvelope.sha256(raw),
                    Reason.TOO_LARGE,
                    raw.length + " bytes is over the " + options.maxMessageBytes() + "-byte limit");
        }
        KombuEnvelope envelope = KombuEnvelope.parse(raw, sourceKey);
        return decode(envelope, sourceKey);
    }

    /** Decodes an envelope that was already parsed. */
    public CeleryMessage decode(KombuEnvelope envelope, String sourceKey) {
        String identity = envelope.identity();
        if (!envelope.view().path("properties").isObject()) {
            throw new UndecodableMessageException(
                    sourceKey,
                    identity,
                    Reason.MISSING_FIELD,
                    "properties is missing; a 5.2 worker exits with KeyError('properties') and loses the message");
        }
        try {
            BodyReader.Body body = bodies.read(envelope);
            return MessageReader.read(envelope, body.value(), body.bytes(), sourceKey);
        } catch (BodyException e) {
            throw new UndecodableMessageException(sourceKey, identity, e.reason(), e.getMessage(), e);
        } catch (UndecodableMessageException e) {
            throw e.withIdentity(identity);
        } catch (RuntimeException | StackOverflowError e) {
            // Last line of defence: a library failing in a way we did not foresee must not stop a pump.
            throw new UndecodableMessageException(sourceKey, identity, Reason.BAD_BODY, "unexpected failure: " + e, e);
        }
    }

    /**
     * Decodes a value of kombu's {@code unacked} hash, {@code [envelope, exchange, routing_key]}. {@code hashKey} is
     * the hash's key name, kept as the message's source.
     */
    public UnackedEntry decodeUnacked(byte[] raw, String hashKey) {
        if (raw == null || raw.length > options.maxMessageBytes()) {
            throw new UndecodableMessageException(
                    hashKey,
                    raw == null ? null : KombuEnvelope.sha256(raw),
                    raw == null ? Reason.MISSING_FIELD : Reason.TOO_LARGE,
                    "unacked value is missing or too large");
        }
        JsonNode root;
        try {
            root = PythonJson.parse(new String(raw, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new UndecodableMessageException(
                    hashKey, KombuEnvelope.sha256(raw), Reason.BAD_ENVELOPE_JSON, e.getOriginalMessage(), e);
        }
        if (root == null
                || !root.isArray()
                || root.size() != 3
                || !root.get(0).isObject()
                || !root.get(1).isTextual()
                || !root.get(2).isTextual()) {
            throw new UndecodableMessageException(
                    hashKey,
                    KombuEnvelope.sha256(raw),
                    Reason.ENVELOPE_NOT_OBJECT,
                    "unacked value must be [envelope, exchange, routing_key]");
        }
        // The envelope's own bytes are re-serialized as kombu would have written them when it was LPUSHed.
        byte[] inner = PythonJson.dumps(root.get(0)).getBytes(StandardCharsets.UTF_8);
        CeleryMessage message = decode(inner, hashKey);
        return new UnackedEntry(message, root.get(1).textValue(), root.get(2).textValue());
    }

    /**
     * Encodes a message for {@code target}. An unchanged decoded message whose queue, priority, protocol,
     * serializer and compression match the target comes back as its original bytes; anything else is written
     * afresh as Celery 5.2 writes it, with a new delivery tag. The result always passes {@link MessageValidator}
     * (naive etas are allowed here; use the validator to refuse them).
     *
     * @throws ValidationException if the message cannot be written in a form a 5.2 worker handles
     * @throws IllegalArgumentException if the target cannot carry a value (msgpack and big integers, for example)
     */
    public byte[] encode(CeleryMessage message, EncodeTarget target) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(target, "target");
        if (message.source().isPresent() && matches(message, target)) {
            byte[] original = message.source().get().raw();
            if (validator.check(original).ok()) {
                return original;
            }
        }
        byte[] written = MessageWriter.write(message, target);
        validator.validate(written);
        return written;
    }

    private static boolean matches(CeleryMessage m, EncodeTarget t) {
        Integer priority = t.priority() != null ? t.priority() : m.priority();
        Compression compression = m.compression() == null
                ? null
                : Compression.forHeader(m.compression()).orElse(null);
        return t.queue().equals(m.routingKey())
                && Objects.equals(priority, m.priority())
                && t.protocol() == m.protocol()
                && m.serializer().orElse(null) == t.serializer()
                && compression == t.compression();
    }
}
