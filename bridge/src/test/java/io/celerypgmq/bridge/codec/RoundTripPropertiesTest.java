package io.celerypgmq.bridge.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.internal.BodyWriter;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random canonical messages survive encode → decode for every serializer the codec writes and every compression,
 * field for field. Where a format cannot carry a value the policy is asserted instead: msgpack refuses integers beyond
 * 64 bits, msgpack and YAML refuse lone surrogates (as Python's msgpack and PyYAML writers do), JSON carries all of
 * them. Seeds are pinned so a failure replays.
 */
class RoundTripPropertiesTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final CeleryCodec codec = CeleryCodec.withDefaults();

    @Property(tries = 150, seed = "20261122")
    void jsonCarriesEveryValueThroughEveryCompression(
            @ForAll("messages") CeleryMessage message, @ForAll("compressions") Compression compression) {
        assertRoundTrip(message, Serializer.JSON, compression);
    }

    @Property(tries = 80, seed = "20261123")
    void msgpackCarriesWhatPythonMsgpackCan(
            @ForAll("messages") CeleryMessage message, @ForAll("compressions") Compression compression) {
        if (hasLoneSurrogate(message) || hasHugeInteger(message)) {
            assertThatThrownBy(() -> encode(message, Serializer.MSGPACK, compression))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("msgpack cannot carry");
        } else {
            assertRoundTrip(message, Serializer.MSGPACK, compression);
        }
    }

    @Property(tries = 80, seed = "20261124")
    void yamlCarriesEverythingButLoneSurrogates(
            @ForAll("messages") CeleryMessage message, @ForAll("compressions") Compression compression) {
        if (hasLoneSurrogate(message)) {
            assertThatThrownBy(() -> encode(message, Serializer.YAML, compression))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("YAML cannot carry the lone surrogate");
        } else {
            assertRoundTrip(message, Serializer.YAML, compression);
        }
    }

    @Property(tries = 60, seed = "20261125")
    void protocolOneKeepsWhatItCanExpress(@ForAll("messages") CeleryMessage message) {
        CeleryMessage v1 = message.toBuilder().protocol(1).chain(null).build();
        EncodeTarget target = EncodeTarget.of("celery", new Tags()).withProtocol(1);
        CeleryMessage back = codec.decode(codec.encode(v1, target), "celery");
        assertThat(back.protocol()).isEqualTo(1);
        assertThat(back.args()).isEqualTo(v1.args());
        assertThat(back.kwargs()).isEqualTo(v1.kwargs());
        assertThat(back.eta()).isEqualTo(v1.eta());
        assertThat(back.retries()).isEqualTo(v1.retries());
        assertThat(back.callbacks()).isEqualTo(v1.callbacks());
        assertThat(back.customHeaders()).isEqualTo(v1.customHeaders());
    }

    @Example
    void aBrotliBodyDecodes() {
        CeleryMessage m = CeleryMessage.builder()
                .task("tasks.echo")
                .id("b-1")
                .args(NODES.arrayNode().add("brotli ✓"))
                .build();
        byte[] json = MessageWriterAccess.encodeBody(m);
        String envelope = "{\"body\": \"" + java.util.Base64.getEncoder().encodeToString(brotliStored(json))
                + "\", \"content-type\": \"application/json\", \"headers\": {\"task\": \"tasks.echo\", \"id\": \"b-1\", "
                + "\"compression\": \"application/x-brotli\"}, \"properties\": {\"body_encoding\": \"base64\", "
                + "\"delivery_tag\": \"t\", \"delivery_info\": {\"exchange\": \"\", \"routing_key\": \"celery\"}}}";
        CeleryMessage back = codec.decode(envelope.getBytes(java.nio.charset.StandardCharsets.US_ASCII), "celery");
        assertThat(back.args()).isEqualTo(m.args());
        assertThat(back.compression()).isEqualTo("application/x-brotli");
    }

    private void assertRoundTrip(CeleryMessage message, Serializer serializer, Compression compression) {
        byte[] bytes = encode(message, serializer, compression);
        CeleryMessage back = codec.decode(bytes, "celery");
        assertThat(back.args()).isEqualTo(message.args());
        assertThat(back.kwargs()).isEqualTo(message.kwargs());
        assertThat(back.task()).isEqualTo(message.task());
        assertThat(back.id()).isEqualTo(message.id());
        assertThat(back.eta()).isEqualTo(message.eta());
        assertThat(back.expires()).isEqualTo(message.expires());
        assertThat(back.retries()).isEqualTo(message.retries());
        assertThat(back.priority()).isEqualTo(message.priority() == null ? 0 : message.priority()); // Celery's default
        assertThat(back.timelimit()).isEqualTo(message.timelimit());
        assertThat(back.callbacks()).isEqualTo(message.callbacks());
        assertThat(back.chain()).isEqualTo(message.chain());
        assertThat(back.customHeaders()).isEqualTo(message.customHeaders());
        assertThat(back.rootId()).isEqualTo(message.rootId());
        assertThat(back.group()).isEqualTo(message.group());
        assertThat(back.contentType()).isEqualTo(serializer.contentType());
        assertThat(back.compression()).isEqualTo(compression == null ? null : compression.mimeType());
        assertThat(codec.encode(back, EncodeTarget.sameAs(back, new Tags()))).isEqualTo(bytes);
    }

    private byte[] encode(CeleryMessage message, Serializer serializer, Compression compression) {
        return codec.encode(
                message,
                EncodeTarget.of("celery", new Tags()).withSerializer(serializer).withCompression(compression));
    }

    @Provide
    Arbitrary<Compression> compressions() {
        return Arbitraries.of(Compression.GZIP, Compression.BZIP2, Compression.LZMA, Compression.ZSTD)
                .injectNull(0.3);
    }

    @Provide
    Arbitrary<CeleryMessage> messages() {
        Arbitrary<ArrayNode> args = value().list().ofMaxSize(4).map(list -> {
            ArrayNode a = NODES.arrayNode();
            list.forEach(a::add);
            return a;
        });
        Arbitrary<ObjectNode> kwargs = Combinators.combine(
                        text().list().ofMaxSize(3), value().list().ofSize(3))
                .as((keys, values) -> {
                    ObjectNode o = NODES.objectNode();
                    for (int i = 0; i < keys.size(); i++) {
                        o.set(keys.get(i), values.get(i));
                    }
                    return o;
                });
        Arbitrary<OffsetDateTime> eta = Arbitraries.longs()
                .between(0, 4_000_000_000L)
                .map(s -> OffsetDateTime.ofInstant(
                        java.time.Instant.ofEpochSecond(s, (s % 7) * 1000), ZoneOffset.ofHours((int) (s % 13) - 6)))
                .injectNull(0.5);
        Arbitrary<Integer> priority = Arbitraries.integers().between(-3, 15).injectNull(0.3);
        return Combinators.combine(
                        args, kwargs, eta, priority, Arbitraries.integers().between(0, 20), text())
                .as((a, k, e, p, retries, header) -> CeleryMessage.builder()
                        .task("tasks.echo")
                        .id(UUID.nameUUIDFromBytes(a.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                                .toString())
                        .args(a)
                        .kwargs(k)
                        .eta(e)
                        .priority(p)
                        .retries(retries)
                        .rootId("root-" + retries)
                        .group(retries % 2 == 0 ? null : "group-1")
                        .timelimit(TimeLimit.of(retries % 3 == 0 ? null : 30, retries % 2 == 0 ? null : 2.5))
                        .callbacks(
                                retries % 4 == 0
                                        ? null
                                        : NODES.arrayNode()
                                                .add(NODES.objectNode()
                                                        .put("task", "tasks.cb")
                                                        .set("args", a)))
                        .chain(
                                retries % 5 == 0
                                        ? NODES.arrayNode()
                                                .add(NODES.objectNode().put("task", "tasks.next"))
                                        : null)
                        .customHeaders(NODES.objectNode().put("x-" + Math.abs(header.hashCode()), header))
                        .build());
    }

    private Arbitrary<JsonNode> value() {
        return Arbitraries.recursive(this::scalar, this::container, 0, 3);
    }

    private Arbitrary<JsonNode> container(Arbitrary<JsonNode> inner) {
        Arbitrary<JsonNode> array = inner.list().ofMaxSize(4).map(list -> {
            ArrayNode a = NODES.arrayNode();
            list.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> object = Combinators.combine(
                        text().list().ofMaxSize(3), inner.list().ofSize(3))
                .as((keys, values) -> {
                    ObjectNode o = NODES.objectNode();
                    for (int i = 0; i < keys.size(); i++) {
                        o.set(keys.get(i), values.get(i));
                    }
                    return o;
                });
        return Arbitraries.oneOf(array, object);
    }

    private Arbitrary<JsonNode> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.longs().filter(l -> l != (int) (long) l).map(NODES::numberNode),
                Arbitraries.bigIntegers()
                        .between(BigInteger.TWO.pow(70).negate(), BigInteger.TWO.pow(70))
                        .filter(b -> b.bitLength() >= 64)
                        .map(NODES::numberNode),
                Arbitraries.doubles()
                        .withSpecialValue(Double.NaN)
                        .withSpecialValue(Double.POSITIVE_INFINITY)
                        .withSpecialValue(Double.NEGATIVE_INFINITY)
                        .withSpecialValue(1e20)
                        .withSpecialValue(-0.0)
                        .map(NODES::numberNode),
                text().map(NODES::textNode));
    }

    /** Text with astral characters, control characters and, sometimes, lone surrogates. */
    private Arbitrary<String> text() {
        Arbitrary<String> codePoints = Arbitraries.integers()
                .between(0, 0x10FFFF)
                .filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .list()
                .ofMaxSize(6)
                .map(cps -> cps.stream()
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                        .toString());
        Arbitrary<String> withLoneSurrogate = codePoints.map(s -> s + "\ud800");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, codePoints),
                net.jqwik.api.Tuple.of(
                        3, Arbitraries.strings().alpha().numeric().ofMaxLength(8)),
                net.jqwik.api.Tuple.of(1, withLoneSurrogate));
    }

    private static boolean hasLoneSurrogate(CeleryMessage m) {
        return anyText(m, BodyWriter::hasLoneSurrogate);
    }

    private static boolean hasHugeInteger(CeleryMessage m) {
        return List.of(m.args(), m.kwargs()).stream().anyMatch(RoundTripPropertiesTest::hasHuge)
                || (m.callbacks() != null && hasHuge(m.callbacks()));
    }

    private static boolean hasHuge(JsonNode node) {
        if (node.isBigInteger()) {
            return true;
        }
        for (JsonNode child : node) {
            if (hasHuge(child)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyText(CeleryMessage m, java.util.function.Predicate<String> test) {
        return List.of(m.args(), m.kwargs()).stream().anyMatch(n -> anyText(n, test))
                || (m.callbacks() != null && anyText(m.callbacks(), test));
    }

    private static boolean anyText(JsonNode node, java.util.function.Predicate<String> test) {
        if (node.isTextual()) {
            return test.test(node.textValue());
        }
        for (java.util.Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            if (test.test(it.next())) {
                return true;
            }
        }
        for (JsonNode child : node) {
            if (anyText(child, test)) {
                return true;
            }
        }
        return false;
    }

    /** A brotli stream holding the bytes in one uncompressed meta-block (RFC 7932 §9.2), for a real decoder to read. */
    static byte[] brotliStored(byte[] data) {
        int header = ((data.length - 1) << 4) | (1 << 20);
        byte[] out = new byte[3 + data.length + 1];
        out[0] = (byte) header;
        out[1] = (byte) (header >> 8);
        out[2] = (byte) (header >> 16);
        System.arraycopy(data, 0, out, 3, data.length);
        out[out.length - 1] = 0x03;
        return out;
    }

    /** Deterministic delivery tags. */
    static final class Tags implements java.util.function.Supplier<UUID> {
        private final AtomicLong next = new AtomicLong();

        @Override
        public UUID get() {
            return new UUID(0x4000_0000_0000L, 0x8000_0000_0000_0000L | next.incrementAndGet());
        }
    }
}
