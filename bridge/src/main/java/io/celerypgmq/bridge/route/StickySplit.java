package io.celerypgmq.bridge.route;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Decides whether a message falls into a route's percentage. The decision hashes the root id, so a whole chain,
 * chord or retry family lands on the same side, and every bridge instance decides the same way.
 */
public final class StickySplit {
    private StickySplit() {}

    /** The bucket 0–99 of a root id (the task id when the message has no root). */
    public static int bucket(String rootId) {
        CRC32 crc = new CRC32();
        crc.update(rootId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % 100);
    }

    /** Whether a message with this root id takes the pgmq side at {@code percent} %. */
    public static boolean takesPgmq(String rootId, int percent) {
        return percent >= 100 || (percent > 0 && bucket(rootId) < percent);
    }
}
