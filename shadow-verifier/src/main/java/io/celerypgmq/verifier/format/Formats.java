package io.celerypgmq.verifier.format;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** How numbers, durations and times read in every report format. */
public final class Formats {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Formats() {}

    public static String time(Instant t) {
        return t == null ? "-" : TIME.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** {@code 0.42 s}, {@code 12 ms}, {@code 3.5 min}; {@code -} for none. */
    public static String duration(Duration d) {
        if (d == null) {
            return "-";
        }
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 120_000) {
            return decimal(ms / 1000.0, 2) + " s";
        }
        if (ms < 7_200_000) {
            return decimal(ms / 60_000.0, 1) + " min";
        }
        return decimal(ms / 3_600_000.0, 1) + " h";
    }

    public static String percent(double value) {
        return Double.isNaN(value) ? "-" : decimal(value, 2) + " %";
    }

    /** At most {@code places} decimals, trailing zeros dropped. */
    public static String decimal(double value, int places) {
        BigDecimal d =
                BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    public static String count(long n) {
        return Long.toString(n);
    }
}
