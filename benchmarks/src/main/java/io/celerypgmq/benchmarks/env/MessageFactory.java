package io.celerypgmq.benchmarks.env;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.EncodeTarget;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Realistic Celery protocol-2 JSON messages of about {@link #TARGET_BYTES} bytes, as a stock 5.2 producer writes them.
 * One message is written by our encoder; every further one is a copy with a fresh task id (also root id and
 * correlation id) and delivery tag spliced in, so millions cost almost nothing to make and each has its own identity.
 */
public final class MessageFactory {
    public static final int TARGET_BYTES = 1_200;
    public static final String TASK = "bench.send_welcome_email";
    private static final int UUID_LENGTH = 36;

    private final byte[] template;
    private final int[] idOffsets;
    private final int[] tagOffsets;
    private final SplittableRandom random;

    public MessageFactory(CeleryCodec codec, String queue, long seed) {
        this.random = new SplittableRandom(seed);
        String id = UUID.randomUUID().toString();
        String tag = UUID.randomUUID().toString();
        // size grows linearly with the padding (base64 body plus argsrepr): measure the slope, then aim
        int bare = encode(codec, queue, id, tag, 0).length;
        double slope = (encode(codec, queue, id, tag, 100).length - bare) / 100.0;
        byte[] sized = encode(codec, queue, id, tag, (int) Math.max(0, (TARGET_BYTES - bare) / slope));
        this.template = sized;
        this.idOffsets = offsets(sized, id);
        this.tagOffsets = offsets(sized, tag);
        if (idOffsets.length == 0 || tagOffsets.length != 1) {
            throw new IllegalStateException("encoder output has no task id or not exactly one delivery tag");
        }
    }

    /** A new message with its own task id and delivery tag. */
    public byte[] next() {
        byte[] out = template.clone();
        byte[] id = uuid().getBytes(StandardCharsets.US_ASCII);
        for (int at : idOffsets) {
            System.arraycopy(id, 0, out, at, UUID_LENGTH);
        }
        System.arraycopy(uuid().getBytes(StandardCharsets.US_ASCII), 0, out, tagOffsets[0], UUID_LENGTH);
        return out;
    }

    public int messageBytes() {
        return template.length;
    }

    /** The delivery tag (the bridge's identity) of a message made here. */
    public String deliveryTag(byte[] message) {
        return new String(message, tagOffsets[0], UUID_LENGTH, StandardCharsets.US_ASCII);
    }

    private String uuid() {
        return new UUID(
                        random.nextLong() & 0xffffffffffff0fffL | 0x4000L,
                        random.nextLong() & 0x3fffffffffffffffL | Long.MIN_VALUE)
                .toString();
    }

    private static byte[] encode(CeleryCodec codec, String queue, String id, String tag, int padding) {
        JsonNodeFactory n = JsonNodeFactory.instance;
        ArrayNode args = n.arrayNode()
                .add("ada.lovelace@example.com")
                .add("Ada Lovelace")
                .add(n.objectNode().put("plan", "pro").put("locale", "en_GB").put("referrer", "x".repeat(padding)));
        ObjectNode kwargs = n.objectNode().put("template", "welcome-v2").put("send_at_local_hour", 9);
        CeleryMessage message = CeleryMessage.builder()
                .task(TASK)
                .id(id)
                .rootId(id)
                .args(args)
                .kwargs(kwargs)
                .origin("gen4242@web-1")
                .argsrepr(args.toString())
                .kwargsrepr(kwargs.toString())
                .build();
        return codec.encode(message, EncodeTarget.of(queue, () -> UUID.fromString(tag)));
    }

    private static int[] offsets(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
        List<Integer> found = new ArrayList<>();
        outer:
        for (int i = 0; i <= haystack.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            found.add(i);
        }
        return found.stream().mapToInt(Integer::intValue).toArray();
    }
}
