package io.celerypgmq.bridge.codec;

import java.util.List;
import java.util.Optional;

/**
 * The body compressions kombu registers. {@code headers.compression} carries the MIME type; the aliases are accepted
 * on input as a worker accepts them. {@link #GZIP} is a zlib stream (it starts {@code 78 9c}), not a gzip file.
 */
public enum Compression {
    GZIP("application/x-gzip", List.of("gzip", "zlib")),
    BZIP2("application/x-bz2", List.of("bzip2", "bzip")),
    LZMA("application/x-lzma", List.of("lzma", "xz")),
    BROTLI("application/x-brotli", List.of("brotli")),
    ZSTD("application/zstd", List.of("zstd", "zstandard"));

    private final String mimeType;
    private final List<String> aliases;

    Compression(String mimeType, List<String> aliases) {
        this.mimeType = mimeType;
        this.aliases = aliases;
    }

    public String mimeType() {
        return mimeType;
    }

    public List<String> aliases() {
        return aliases;
    }

    /** Looks up a {@code headers.compression} value: the MIME type or one of its aliases. */
    public static Optional<Compression> forHeader(String value) {
        for (Compression c : values()) {
            if (c.mimeType.equals(value) || c.aliases.contains(value)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
