package io.celerypgmq.bridge.codec.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON as CPython's {@code json} module reads and writes it, which is what kombu uses for the envelope and for
 * json-serialized bodies. Reading accepts the bare {@code NaN}/{@code Infinity} tokens and integers of any size, keeps
 * key order and lets a repeated key keep its first position with its last value, and refuses trailing data. Writing
 * reproduces {@code json.dumps} defaults byte for byte: {@code ", "} and {@code ": "} separators, {@code ensure_ascii}
 * with lowercase {@code \\uXXXX} escapes and surrogate pairs, and Python's float repr.
 */
public final class PythonJson {
    /** CPython refuses to convert integers longer than this many digits (sys.int_info.default_max_str_digits). */
    private static final int PYTHON_MAX_INT_DIGITS = 4300;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNumberLength(PYTHON_MAX_INT_DIGITS)
                            .maxStringLength(Integer.MAX_VALUE)
                            .maxNestingDepth(1000)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PythonJson() {}

    /** The shared, thread-safe mapper; also useful for building nodes. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses JSON text; the exception message reads like a parse error an operator can act on. */
    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /** {@code json.dumps(value)} with default settings. */
    public static String dumps(JsonNode value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    public static void write(JsonNode value, StringBuilder out) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            out.append("null");
        } else if (value.isBoolean()) {
            out.append(value.booleanValue() ? "true" : "false");
        } else if (value.isIntegralNumber()) {
            out.append(value.bigIntegerValue().toString());
        } else if (value.isNumber()) {
            out.append(PythonFloat.json(value.doubleValue()));
        } else if (value.isTextual()) {
            string(value.textValue(), out);
        } else if (value.isArray()) {
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                write(value.get(i), out);
            }
            out.append(']');
        } else if (value.isObject()) {
            out.append('{');
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!first) {
                    out.append(", ");
                }
                first = false;
                string(field.getKey(), out);
                out.append(": ");
                write(field.getValue(), out);
            }
            out.append('}');
        } else if (value.isBinary()) {
            string(java.util.Base64.getEncoder().encodeToString(binary(value)), out);
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getNodeType() + " node as JSON");
        }
    }

    private static byte[] binary(JsonNode value) {
        try {
            return value.binaryValue();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("unreadable binary node", e);
        }
    }

    /** A JSON string literal with {@code ensure_ascii=True} escaping. */
    public static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c >= ' ' && c <= '~') {
                        out.append(c);
                    } else {
                        // A Java char is a UTF-16 unit, so astral characters come out as the surrogate pair Python
                        // writes, and a lone surrogate comes out as itself, as Python does too.
                        out.append("\\u")
                                .append(HEX[(c >> 12) & 0xf])
                                .append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf])
                                .append(HEX[c & 0xf]);
                    }
                }
            }
        }
        out.append('"');
    }
}
