package io.celerypgmq.bridge.codec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.UndecodableMessageException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * A msgpack body as kombu reads it ({@code unpackb(raw=False)}, msgpack ≥ 1.0): str is strict UTF-8, bin becomes
 * base64 text, map keys must be str or bin (msgpack's {@code strict_map_key}), trailing bytes are an error. The
 * timestamp extension (-1) becomes an ISO 8601 UTC string; any other extension becomes
 * {@code {"__msgpack_ext__": type, "data": base64}}. Every declared length is checked against the bytes left before it
 * is read.
 */
public final class MsgpackBody {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final MessageUnpacker unpacker;
    private final long length;

    private MsgpackBody(byte[] bytes) {
        this.unpacker = MessagePack.newDefaultUnpacker(bytes);
        this.length = bytes.length;
    }

    public static JsonNode decode(byte[] bytes) {
        MsgpackBody body = new MsgpackBody(bytes);
        try (MessageUnpacker unpacker = body.unpacker) {
            JsonNode value = body.read(0);
            if (unpacker.hasNext()) {
                throw new BodyException(Reason.BAD_BODY, "msgpack body has extra data after the value");
            }
            return value;
        } catch (BodyException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BodyException(Reason.BAD_BODY, "msgpack body does not unpack: " + e.getMessage(), e);
        }
    }

    private long remaining() {
        return length - unpacker.getTotalReadBytes();
    }

    private int checked(long declared, int minBytesEach) {
        if (declared < 0 || declared * minBytesEach > remaining()) {
            throw new BodyException(Reason.BAD_BODY, "msgpack length " + declared + " exceeds the body");
        }
        return (int) declared;
    }

    private JsonNode read(int depth) throws IOException {
        if (depth > NaturalJson.MAX_DEPTH) {
            throw new BodyException(Reason.BAD_BODY, "msgpack body nests deeper than " + NaturalJson.MAX_DEPTH);
        }
        MessageFormat format = unpacker.getNextFormat();
        switch (format.getValueType()) {
            case NIL -> {
                unpacker.unpackNil();
                return NODES.nullNode();
            }
            case BOOLEAN -> {
                return NODES.booleanNode(unpacker.unpackBoolean());
            }
            case INTEGER -> {
                return format == MessageFormat.UINT64
                        ? bigInteger(unpacker.unpackBigInteger())
                        : integer(unpacker.unpackLong());
            }
            case FLOAT -> {
                return NODES.numberNode(unpacker.unpackDouble());
            }
            case STRING -> {
                return NODES.textNode(utf8(payload(unpacker.unpackRawStringHeader())));
            }
            case BINARY -> {
                return NODES.textNode(Base64.getEncoder().encodeToString(payload(unpacker.unpackBinaryHeader())));
            }
            case ARRAY -> {
                int size = checked(unpacker.unpackArrayHeader(), 1);
                ArrayNode array = NODES.arrayNode(size);
                for (int i = 0; i < size; i++) {
                    array.add(read(depth + 1));
                }
                return array;
            }
            case MAP -> {
                int size = checked(unpacker.unpackMapHeader(), 2);
                ObjectNode map = NODES.objectNode();
                for (int i = 0; i < size; i++) {
                    MessageFormat keyFormat = unpacker.getNextFormat();
                    String key =
                            switch (keyFormat.getValueType()) {
                                case STRING -> utf8(payload(unpacker.unpackRawStringHeader()));
                                case BINARY -> Base64.getEncoder()
                                        .encodeToString(payload(unpacker.unpackBinaryHeader()));
                                default -> throw new BodyException(
                                        Reason.BAD_BODY,
                                        keyFormat.getValueType().name().toLowerCase(java.util.Locale.ROOT)
                                                + " is not allowed for map key (msgpack strict_map_key)");
                            };
                    map.set(key, read(depth + 1));
                }
                return map;
            }
            case EXTENSION -> {
                ExtensionTypeHeader header = unpacker.unpackExtensionTypeHeader();
                byte[] data = payload(header.getLength());
                if (header.getType() == -1) {
                    return NODES.textNode(timestamp(data));
                }
                return NODES.objectNode()
                        .put("__msgpack_ext__", header.getType())
                        .put("data", Base64.getEncoder().encodeToString(data));
            }
            default -> throw new BodyException(Reason.BAD_BODY, "msgpack format " + format + " is not supported");
        }
    }

    private byte[] payload(int declared) throws IOException {
        return unpacker.readPayload(checked(declared, 1));
    }

    private static JsonNode bigInteger(java.math.BigInteger value) {
        return value.bitLength() < 64 ? integer(value.longValue()) : NODES.numberNode(value);
    }

    /** The node type Jackson's JSON parser picks for the same number, so equal values compare equal. */
    static JsonNode integer(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BodyException(Reason.BAD_BODY, "msgpack str is not valid UTF-8", e);
        }
    }

    private static String timestamp(byte[] data) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        long seconds;
        long nanos;
        switch (data.length) {
            case 4 -> {
                seconds = buf.getInt() & 0xffffffffL;
                nanos = 0;
            }
            case 8 -> {
                long v = buf.getLong();
                nanos = v >>> 34;
                seconds = v & 0x3ffffffffL;
            }
            case 12 -> {
                nanos = buf.getInt() & 0xffffffffL;
                seconds = buf.getLong();
            }
            default -> throw new BodyException(Reason.BAD_BODY, "msgpack timestamp of " + data.length + " bytes");
        }
        var time = Instant.ofEpochSecond(seconds, nanos).atOffset(ZoneOffset.UTC);
        return PythonValues.kombuDatetime(time.toLocalDateTime().withNano((int) (nanos / 1000 * 1000)), ZoneOffset.UTC);
    }
}
