package io.celerypgmq.bridge.codec.internal;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

/** The text kombu 5.2's JSON encoder writes for Python's datetime, date, time and UUID values. */
public final class PythonValues {
    private PythonValues() {}

    /** {@code datetime.isoformat()}, with an aware UTC value ending in {@code Z} as kombu writes it. */
    public static String kombuDatetime(LocalDateTime local, ZoneOffset offset) {
        return kombuDatetime(isoformat(local, offset));
    }

    /** kombu's rule applied to an isoformat string: a trailing {@code +00:00} becomes {@code Z}. */
    public static String kombuDatetime(String isoformat) {
        if (isoformat == null) {
            throw new IllegalArgumentException("datetime text is missing");
        }
        return isoformat.endsWith("+00:00") ? isoformat.substring(0, isoformat.length() - 6) + "Z" : isoformat;
    }

    /** kombu writes a date as the datetime at midnight of that day. */
    public static String kombuDate(int year, int month, int day) {
        return String.format("%04d-%02d-%02dT00:00:00", year, month, day);
    }

    public static String isoformat(LocalDateTime local, ZoneOffset offset) {
        return String.format("%04d-%02d-%02dT", local.getYear(), local.getMonthValue(), local.getDayOfMonth())
                + isoformat(local.toLocalTime(), offset);
    }

    /** {@code time.isoformat()}: {@code HH:MM:SS[.ffffff][+HH:MM]}. */
    public static String isoformat(LocalTime time, ZoneOffset offset) {
        StringBuilder out =
                new StringBuilder(String.format("%02d:%02d:%02d", time.getHour(), time.getMinute(), time.getSecond()));
        int micros = time.getNano() / 1000;
        if (micros != 0) {
            out.append(String.format(".%06d", micros));
        }
        if (offset != null) {
            int total = offset.getTotalSeconds();
            int abs = Math.abs(total);
            out.append(total < 0 ? '-' : '+').append(String.format("%02d:%02d", abs / 3600, abs / 60 % 60));
            if (abs % 60 != 0) {
                out.append(String.format(":%02d", abs % 60));
            }
        }
        return out.toString();
    }

    /** {@code str(uuid.UUID(hex=...))}. */
    public static String uuidFromHex(String hex) {
        String h = hex.replace("urn:", "")
                .replace("uuid:", "")
                .replaceAll("[{}-]", "")
                .toLowerCase(java.util.Locale.ROOT);
        if (!h.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("badly formed hexadecimal UUID string");
        }
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20);
    }

    /** {@code str(uuid.UUID(int=n))}. */
    public static String uuidFromInt(java.math.BigInteger n) {
        if (n.signum() < 0 || n.bitLength() > 128) {
            throw new IllegalArgumentException("int is out of range (need a 128-bit value)");
        }
        return uuidFromHex(String.format("%032x", n));
    }
}
