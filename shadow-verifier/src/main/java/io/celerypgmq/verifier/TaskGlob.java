package io.celerypgmq.verifier;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A shell-style pattern over task names, as routes use: {@code *} any run of characters (dots included), {@code ?}
 * one character. Usable in Java and, as a LIKE pattern with {@code ESCAPE '\'}, in SQL.
 */
public record TaskGlob(String pattern) {

    public TaskGlob {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.isBlank()) {
            throw new IllegalArgumentException("task pattern is empty");
        }
    }

    public boolean matches(String task) {
        return regex().matcher(task).matches();
    }

    public boolean isLiteral() {
        return pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
    }

    /** Characters before the first wildcard; a longer prefix is a more specific pattern. */
    public int literalPrefix() {
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) == '*' || pattern.charAt(i) == '?') {
                return i;
            }
        }
        return pattern.length();
    }

    /** The pattern for {@code LIKE ... ESCAPE '\'}. */
    public String like() {
        StringBuilder out = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            switch (ch) {
                case '*' -> out.append('%');
                case '?' -> out.append('_');
                case '%', '_', '\\' -> out.append('\\').append(ch);
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    private Pattern regex() {
        StringBuilder out = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            switch (ch) {
                case '*' -> out.append(".*");
                case '?' -> out.append('.');
                default -> out.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(out.toString(), Pattern.DOTALL);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
