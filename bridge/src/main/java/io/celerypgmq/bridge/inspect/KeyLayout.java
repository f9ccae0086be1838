package io.celerypgmq.bridge.inspect;

import io.celerypgmq.bridge.codec.PriorityKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@link PriorityKeys} from the text people type for Celery's {@code broker_transport_options}:
 * {@code priority_steps} as {@code 0,3,6,9}, {@code sep} with {@code \x06} escapes, {@code global_keyprefix}.
 */
public final class KeyLayout {
    private KeyLayout() {}

    /**
     * @throws IllegalArgumentException naming the bad value
     */
    public static PriorityKeys parse(String steps, String separator, String globalKeyPrefix) {
        return new PriorityKeys(steps(steps), unescape(separator), globalKeyPrefix == null ? "" : globalKeyPrefix);
    }

    static List<Integer> steps(String text) {
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                out.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "bad priority steps '" + text + "': expected numbers like 0,3,6,9", e);
            }
        }
        return out;
    }

    /** Turns {@code \xNN} escapes into the characters; anything else stays as written. */
    static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (text.startsWith("\\x", i) && i + 4 <= text.length() && isHex(text.substring(i + 2, i + 4))) {
                out.append((char) Integer.parseInt(text.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                out.append(text.charAt(i));
            }
        }
        return out.toString();
    }

    private static boolean isHex(String two) {
        return two.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
}
