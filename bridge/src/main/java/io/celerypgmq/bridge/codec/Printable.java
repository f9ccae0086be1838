package io.celerypgmq.bridge.codec;

/** Renders Redis key names for humans: the priority separator {@code \x06\x16} is unprintable. */
final class Printable {
    private Printable() {}

    static String key(String key) {
        if (key == null) {
            return "<unknown key>";
        }
        StringBuilder out = new StringBuilder(key.length() + 8);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
