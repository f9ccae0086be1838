package io.celerypgmq.bridge.move;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** A message claimed from a Celery list into an in-flight list: the exact bytes and the list it came from. */
public record ClaimedMessage(String sourceKey, byte[] raw) {

    public ClaimedMessage {
        Objects.requireNonNull(sourceKey, "sourceKey");
        Objects.requireNonNull(raw, "raw");
    }

    /** The in-flight element: {@code <len(source)>:<source><raw>}, binary safe. */
    byte[] inFlightElement() {
        byte[] src = sourceKey.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = (src.length + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + src.length + raw.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(src, 0, out, prefix.length, src.length);
        System.arraycopy(raw, 0, out, prefix.length + src.length, raw.length);
        return out;
    }

    /** Parses an in-flight element written by {@code claim.lua}. */
    static ClaimedMessage fromInFlightElement(byte[] element) {
        int colon = -1;
        for (int i = 0; i < Math.min(element.length, 12); i++) {
            if (element[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            throw new IllegalArgumentException("not an in-flight element: no length prefix");
        }
        int length = Integer.parseInt(new String(element, 0, colon, StandardCharsets.US_ASCII));
        int start = colon + 1;
        if (start + length > element.length) {
            throw new IllegalArgumentException("not an in-flight element: source longer than the element");
        }
        String source = new String(element, start, length, StandardCharsets.UTF_8);
        return new ClaimedMessage(source, Arrays.copyOfRange(element, start + length, element.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClaimedMessage m && m.sourceKey.equals(sourceKey) && Arrays.equals(m.raw, raw);
    }

    @Override
    public int hashCode() {
        return 31 * sourceKey.hashCode() + Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "ClaimedMessage[" + sourceKey + ", " + raw.length + " bytes]";
    }
}
