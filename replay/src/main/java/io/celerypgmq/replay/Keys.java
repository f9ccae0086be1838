package io.celerypgmq.replay;

/** Renders Redis key names for people: Celery's priority separator {@code \x06\x16} is unprintable. */
final class Keys {
    private Keys() {}

    static String printable(String key) {
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
