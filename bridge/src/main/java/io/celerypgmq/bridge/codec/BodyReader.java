package io.celerypgmq.bridge.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.celerypgmq.bridge.codec.UndecodableMessageException.Reason;
import io.celerypgmq.bridge.codec.internal.BodyException;
import io.celerypgmq.bridge.codec.internal.Decompressor;
import io.celerypgmq.bridge.codec.internal.JsonBody;
import io.celerypgmq.bridge.codec.internal.MsgpackBody;
import io.celerypgmq.bridge.codec.internal.PickleBody;
import io.celerypgmq.bridge.codec.internal.PythonBase64;
import io.celerypgmq.bridge.codec.internal.YamlBody;
import java.nio.charset.StandardCharsets;

/**
 * Gets from the envelope's {@code body} field to a JSON value, in kombu's order: body encoding (base64, or raw text
 * when {@code body_encoding} is absent or {@code utf-8} as kombu ≥ 5.4 allows), decompression by
 * {@code headers.compression}, then the serializer named by the content type.
 */
final class BodyReader {
    private final CodecOptions options;

    BodyReader(CodecOptions options) {
        this.options = options;
    }

    /** A decoded body and how many bytes it held before the serializer read it. */
    record Body(JsonNode value, int bytes) {}

    Body read(KombuEnvelope envelope) {
        byte[] bytes = bodyBytes(envelope);
        JsonNode compression = envelope.headersView().get("compression");
        if (compression != null && !compression.isNull()) {
            Compression codec = Compression.forHeader(compression.asText())
                    .filter(c -> compression.isTextual())
                    .orElseThrow(() ->
                            new BodyException(Reason.UNKNOWN_COMPRESSION, "no decoder for compression " + compression));
            bytes = Decompressor.decompress(codec, bytes, options.maxBodyBytes());
        }
        String contentType = envelope.contentType()
                .orElseThrow(() -> new BodyException(
                        Reason.MISSING_FIELD,
                        "content-type is missing; a 5.2 worker reads the body as raw bytes and exits"));
        Serializer serializer = Serializer.forContentType(contentType)
                .orElseThrow(() -> new BodyException(
                        Reason.UNKNOWN_CONTENT_TYPE, "no deserializer for content type " + contentType));
        long nodeBudget = Math.max(1_000_000L, 8L * bytes.length);
        JsonNode value =
                switch (serializer) {
                    case JSON -> JsonBody.decode(bytes);
                    case MSGPACK -> MsgpackBody.decode(bytes);
                    case YAML -> YamlBody.decode(bytes, nodeBudget);
                    case PICKLE -> PickleBody.decode(bytes, options.picklePolicy(), nodeBudget);
                };
        return new Body(value, bytes.length);
    }

    private byte[] bodyBytes(KombuEnvelope envelope) {
        JsonNode body = envelope.body().orElse(null);
        if (body == null || body.isNull()) {
            throw new BodyException(Reason.MISSING_FIELD, "body is missing; a 5.2 worker exits on such a message");
        }
        if (!body.isTextual()) {
            throw new BodyException(Reason.BAD_FIELD_TYPE, "body is a JSON " + body.getNodeType() + ", not a string");
        }
        String text = body.textValue();
        if (text.isEmpty()) {
            throw new BodyException(Reason.MISSING_FIELD, "body is empty");
        }
        JsonNode encodingNode = envelope.propertiesView().get("body_encoding");
        String encoding = encodingNode == null || encodingNode.isNull() ? "" : encodingNode.asText();
        if (encodingNode != null && !encodingNode.isNull() && !encodingNode.isTextual()) {
            throw new BodyException(Reason.UNKNOWN_BODY_ENCODING, "body_encoding " + encodingNode + " is not a name");
        }
        byte[] bytes;
        switch (encoding) {
            case "base64" -> {
                try {
                    bytes = PythonBase64.decode(text.getBytes(StandardCharsets.UTF_8));
                } catch (PythonBase64.InvalidBase64Exception e) {
                    throw new BodyException(Reason.BAD_BASE64, e.getMessage() + "; a 5.2 worker exits on it", e);
                }
            }
            case "", "utf-8", "utf8" -> bytes = text.getBytes(StandardCharsets.UTF_8);
            default -> throw new BodyException(
                    Reason.UNKNOWN_BODY_ENCODING, "body_encoding " + encoding + " is not base64 or raw text");
        }
        if (bytes.length > options.maxBodyBytes()) {
            throw new BodyException(Reason.TOO_LARGE, "body is larger than " + options.maxBodyBytes() + " bytes");
        }
        return bytes;
    }
}
