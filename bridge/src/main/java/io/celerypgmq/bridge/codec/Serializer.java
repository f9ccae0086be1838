package io.celerypgmq.bridge.codec;

import java.util.Optional;

/** The four serializers kombu registers, by the exact content type kombu writes and accepts. */
public enum Serializer {
    JSON("application/json", "utf-8"),
    PICKLE("application/x-python-serialize", "binary"),
    MSGPACK("application/x-msgpack", "binary"),
    YAML("application/x-yaml", "utf-8");

    private final String contentType;
    private final String contentEncoding;

    Serializer(String contentType, String contentEncoding) {
        this.contentType = contentType;
        this.contentEncoding = contentEncoding;
    }

    public String contentType() {
        return contentType;
    }

    /** The {@code content-encoding} kombu writes next to this content type. */
    public String contentEncoding() {
        return contentEncoding;
    }

    /** Exact match, as kombu's registry does it: no parameters, no case folding. */
    public static Optional<Serializer> forContentType(String contentType) {
        for (Serializer s : values()) {
            if (s.contentType.equals(contentType)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
