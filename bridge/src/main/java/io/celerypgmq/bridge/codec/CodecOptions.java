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

    public static CodecOptions defaults() {
        return new CodecOptions(
                DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_BODY_BYTES, PicklePolicy.REPRESENT, PriorityKeys.defaults());
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
