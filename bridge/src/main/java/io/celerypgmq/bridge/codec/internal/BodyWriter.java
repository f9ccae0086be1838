package io.celerypgmq.bridge.codec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.Zstd;
import io.celerypgmq.bridge.codec.Compression;
import io.celerypgmq.bridge.codec.Serializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Serializes and compresses a body the way kombu does. JSON is byte-exact with kombu 5.2; msgpack and YAML are
 * what the Python libraries read back to the same values, with two refusals where Python's writer would fail:
 * msgpack cannot carry integers beyond 64 bits, and neither msgpack nor YAML can carry a lone surrogate.
 */
public final class BodyWriter {
    private BodyWriter() {}

    public static byte[] serialize(JsonNode body, Serializer serializer) {
        return switch (serializer) {
            case JSON -> PythonJson.dumps(body).getBytes(StandardCharsets.US_ASCII);
            case MSGPACK -> msgpack(body);
            case YAML -> yaml(body);
            case PICKLE -> throw new IllegalArgumentException("the codec never writes pickle");
        };
    }

    public static byte[] compress(byte[] data, Compression compression) {
        if (compression == Compression.ZSTD) {
            return Zstd.compress(data);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream stream = open(compression, out)) {
            stream.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static OutputStream open(Compression compression, ByteArrayOutputStream out) throws IOException {
        return switch (compression) {
            case GZIP -> new DeflaterOutputStream(out);
            case BZIP2 -> new BZip2CompressorOutputStream(out, 9);
            case LZMA -> new XZOutputStream(out, new LZMA2Options());
            case BROTLI, ZSTD -> throw new IllegalArgumentException("no stream encoder for " + compression);
        };
    }

    private static byte[] msgpack(JsonNode body) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            pack(body, packer);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pack(JsonNode node, MessageBufferPacker packer) throws IOException {
        if (node.isNull()) {
            packer.packNil();
        } else if (node.isBoolean()) {
            packer.packBoolean(node.booleanValue());
        } else if (node.isIntegralNumber()) {
            BigInteger value = node.bigIntegerValue();
            if (value.bitLength() > 64 || (value.signum() < 0 && value.bitLength() > 63)) {
                throw new IllegalArgumentException("msgpack cannot carry the integer " + value);
            }
            packer.packBigInteger(value);
        } else if (node.isNumber()) {
            packer.packDouble(node.doubleValue());
        } else if (node.isTextual()) {
            packer.packString(noLoneSurrogates(node.textValue(), "msgpack"));
        } else if (node.isArray()) {
            packer.packArrayHeader(node.size());
            for (JsonNode item : node) {
                pack(item, packer);
            }
        } else {
            packer.packMapHeader(node.size());
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                packer.packString(noLoneSurrogates(field.getKey(), "msgpack"));
                pack(field.getValue(), packer);
            }
        }
    }

    private static byte[] yaml(JsonNode body) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.FLOW);
        options.setAllowUnicode(true);
        options.setWidth(Integer.MAX_VALUE);
        // SnakeYAML would otherwise write strings with control characters as !!binary; PyYAML escapes them.
        options.setNonPrintableStyle(DumperOptions.NonPrintableStyle.ESCAPE);
        return new Yaml(new PyYamlFloats(options), options).dump(plain(body)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes floats as PyYAML does ({@code represent_float}): Python's repr, lower case, {@code .0} before an exponent
     * without a dot, {@code .nan}/{@code .inf}. PyYAML's loader reads {@code 1.0E300} (Java's form) as a string.
     */
    private static final class PyYamlFloats extends org.yaml.snakeyaml.representer.Representer {
        PyYamlFloats(DumperOptions options) {
            super(options);
            this.representers.put(
                    Double.class,
                    data -> representScalar(org.yaml.snakeyaml.nodes.Tag.FLOAT, pyYamlFloat((Double) data)));
        }
    }

    static String pyYamlFloat(double value) {
        if (Double.isNaN(value)) {
            return ".nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? ".inf" : "-.inf";
        }
        String text = PythonFloat.repr(value).toLowerCase(java.util.Locale.ROOT);
        if (!text.contains(".") && text.contains("e")) {
            text = text.replaceFirst("e", ".0e");
        }
        return text;
    }

    private static Object plain(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return noLoneSurrogates(node.textValue(), "YAML");
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(plain(item)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            map.put(noLoneSurrogates(field.getKey(), "YAML"), plain(field.getValue()));
        }
        return map;
    }

    private static String noLoneSurrogates(String s, String format) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(format + " cannot carry the lone surrogate U+"
                        + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT));
            }
        }
        return s;
    }

    /** Lone surrogates have no UTF-8 form; callers check before choosing a text serializer. */
    public static boolean hasLoneSurrogate(String s) {
        try {
            noLoneSurrogates(s, "");
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
