package io.celerypgmq.config;

/**
 * Text that goes into one log line: no line breaks, no other control characters. A value read from a file, a variable
 * or a flag can hold them, and a name with a newline in it writes a second, forged line into every log that names it.
 */
public final class OneLine {
    private OneLine() {}

    /** Throws {@link IllegalArgumentException} naming the first control character and where it is. */
    public static void require(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isBreaking(c)) {
                throw new IllegalArgumentException(String.format(
                        "must be one line of printable characters; found control character U+%04X at position %d",
                        (int) c, i + 1));
            }
        }
    }

    /** {@code text} with every control character written as {@code \\uXXXX}, so quoting it cannot break a line. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(isBreaking(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    /** C0 and C1 controls (CR, LF, NEL among them) and the Unicode line and paragraph separators. */
    private static boolean isBreaking(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
