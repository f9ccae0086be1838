package io.celerypgmq.verifier;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * The ledger entries a report covers, by {@code bridged_at}: {@code since} inclusive (or from the first entry when
 * {@code null}), {@code until} exclusive.
 */
public record Window(Instant since, Instant until) {

    public Window {
        Objects.requireNonNull(until, "until");
        if (since != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("--since " + since + " is not before --until " + until);
        }
    }

    public static Window until(Instant until) {
        return new Window(null, until);
    }

    /**
     * Reads {@code 2025-06-01T12:00:00Z} or a duration back from {@code now}: {@code 90s}, {@code 15m}, {@code 6h},
     * {@code 7d}, or ISO {@code PT6H}.
     */
    public static Instant parseInstant(String text, Instant now) {
        String t = text.trim();
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException ignored) {
            return now.minus(parseDuration(t));
        }
    }

    /** {@code 500ms}, {@code 90s}, {@code 15m}, {@code 6h}, {@code 7d} or ISO-8601 {@code PT6H}. */
    public static Duration parseDuration(String text) {
        String t = text.trim();
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return Duration.parse(t);
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException(bad(text));
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(bad(text), e);
        }
    }

    private static String bad(String text) {
        return "'" + text + "' is neither an instant (2025-06-01T12:00:00Z) nor a duration (90s, 15m, 6h, 7d, PT6H)";
    }
}
