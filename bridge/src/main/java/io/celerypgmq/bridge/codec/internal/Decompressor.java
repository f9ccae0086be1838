package io.celerypgmq.bridge.codec.internal;

import com.github.luben.zstd.ZstdInputStream;
import io.celerypgmq.bridge.codec.Compression;
import io.celerypgmq.bridge.codec.UndecodableMessageException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.brotli.dec.BrotliInputStream;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.XZInputStream;

/** Undoes kombu's body compression, refusing output beyond a limit so a small bomb cannot exhaust memory. */
public final class Decompressor {
    /** xz/lzma dictionaries above this are refused rather than allocated (KiB). */
    private static final int XZ_MEMORY_LIMIT_KIB = 256 * 1024;

    private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};

    private Decompressor() {}

    public static byte[] decompress(Compression compression, byte[] data, int maxBytes) {
        try (InputStream in = open(compression, new ByteArrayInputStream(data))) {
            return readAtMost(in, maxBytes, compression);
        } catch (IOException | RuntimeException e) {
            if (e instanceof BodyException body) {
                throw body;
            }
            throw new BodyException(
                    Reason.BAD_COMPRESSED_DATA,
                    "body does not decompress as " + compression.mimeType() + ": " + e.getMessage(),
                    e);
        } catch (LinkageError e) {
            throw new BodyException(
                    Reason.BAD_COMPRESSED_DATA,
                    "no " + compression.mimeType() + " decoder on this platform: " + e.getMessage(),
                    e);
        }
    }

    private static InputStream open(Compression compression, ByteArrayInputStream in) throws IOException {
        return switch (compression) {
                // kombu's "gzip" is zlib.compress: a zlib stream, never a gzip container.
            case GZIP -> new InflaterInputStream(in, new Inflater());
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
            case LZMA -> startsWith(in, XZ_MAGIC)
                    ? new XZInputStream(in, XZ_MEMORY_LIMIT_KIB)
                    : new LZMAInputStream(in, XZ_MEMORY_LIMIT_KIB);
            case BROTLI -> new BrotliInputStream(in);
            case ZSTD -> new ZstdInputStream(in);
        };
    }

    private static boolean startsWith(ByteArrayInputStream in, byte[] magic) throws IOException {
        in.mark(magic.length);
        byte[] head = in.readNBytes(magic.length);
        in.reset();
        return java.util.Arrays.equals(head, magic);
    }

    private static byte[] readAtMost(InputStream in, int maxBytes, Compression compression) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > maxBytes) {
                throw new BodyException(
                        Reason.TOO_LARGE,
                        "body decompresses (" + compression.mimeType() + ") to more than " + maxBytes + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
