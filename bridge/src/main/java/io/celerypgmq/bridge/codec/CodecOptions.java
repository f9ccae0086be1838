package io.celerypgmq.bridge.codec;

/**
 * How the codec reads and writes. Immutable and validated; the defaults match a stock Celery 5.2 / kombu 5.2 setup.
 *
 * @param maxMessageBytes largest list element accepted, checked before anything is parsed
 * @param maxBodyBytes largest body after base64 and decompression (guards against compression bombs)
 * @param picklePolicy what an unknown class in a pickle body becomes
 * @param priorityKeys the priority steps, separator and {@code global_keyprefix} used to name Redis lists
 */
public record CodecOptions(
        int maxMessageBytes, int maxBodyBytes, PicklePolicy picklePolicy, PriorityKeys priorityKeys) {
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
    public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024;
    /**
     * The share of the heap one decoded body may take: a body is held several times over while it is decoded
     * (decompression buffer, the bytes, the parsed tree, the payload written from it) and a batch holds many, so a
     * compression bomb stops at this bound and is quarantined instead of exhausting the heap.
     */
    public static final int HEAP_SHARE_PER_BODY = 16;

    public CodecOptions {
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, not " + maxMessageBytes);
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, not " + maxBodyBytes);
        }
        if (picklePolicy == null) {
            throw new IllegalArgumentException("picklePolicy is required");
        }
        if (priorityKeys == null) {
            throw new IllegalArgumentException("priorityKeys is required");
        }
    }

    /** The defaults, with the body limit fitted to this JVM's heap ({@link #forHeap}). */
    public static CodecOptions defaults() {
        return forHeap(Runtime.getRuntime().maxMemory());
    }

    /**
     * The defaults for a heap of {@code maxHeapBytes}: a decoded body may take at most
     * 1/{@value #HEAP_SHARE_PER_BODY} of it, and never more than {@link #DEFAULT_MAX_BODY_BYTES} (with
     * {@code -Xmx256m}: 16 MiB).
     */
    public static CodecOptions forHeap(long maxHeapBytes) {
        long share = Math.max(1024 * 1024, maxHeapBytes / HEAP_SHARE_PER_BODY);
        int maxBody = (int) Math.min(DEFAULT_MAX_BODY_BYTES, share);
        return new CodecOptions(DEFAULT_MAX_MESSAGE_BYTES, maxBody, PicklePolicy.REPRESENT, PriorityKeys.defaults());
    }

    public CodecOptions withMaxMessageBytes(int value) {
        return new CodecOptions(value, maxBodyBytes, picklePolicy, priorityKeys);
    }

    public CodecOptions withMaxBodyBytes(int value) {
        return new CodecOptions(maxMessageBytes, value, picklePolicy, priorityKeys);
    }

    public CodecOptions withPicklePolicy(PicklePolicy value) {
        return new CodecOptions(maxMessageBytes, maxBodyBytes, value, priorityKeys);
    }

    public CodecOptions withPriorityKeys(PriorityKeys value) {
        return new CodecOptions(maxMessageBytes, maxBodyBytes, picklePolicy, value);
    }
}
