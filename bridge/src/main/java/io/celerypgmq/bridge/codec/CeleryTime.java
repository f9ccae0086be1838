package io.celerypgmq.bridge.codec;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An eta or expires value as a Celery worker understands it: the wall-clock time plus the offset the text carried,
 * or none for a naive value.
 *
 * <p>Parsing follows {@code celery.utils.iso8601.parse_iso8601} of Celery 5.2, quirks included: the pattern only has to
 * match a prefix, any single character separates date and time, and the fraction is read as a whole number of
 * microseconds ({@code .5} is 5 µs, not half a second; Celery itself always writes six digits). Formatting follows
 * Python's {@code datetime.isoformat()}, which is what Celery writes into {@code headers.eta}.
 *
 * <p><b>Naive values.</b> A naive eta is interpreted by a 5.2 worker in its own local timezone. {@link #resolve()}
 * reads it as UTC, Celery's default {@code timezone}; use {@link #resolve(ZoneId)} to say otherwise.
 */
public record CeleryTime(LocalDateTime local, ZoneOffset offset) {
    private static final Pattern ISO8601 = Pattern.compile(
            "(?<year>[0-9]{4})(-(?<month>[0-9]{1,2})(-(?<day>[0-9]{1,2})"
                    + "((?<separator>.)(?<hour>[0-9]{2}):(?<minute>[0-9]{2})"
                    + "(:(?<second>[0-9]{2})(\\.(?<fraction>[0-9]+))?)?"
                    + "(?<timezone>Z|([-+])([0-9]{2}):([0-9]{2}))?)?)?)?",
            Pattern.DOTALL);

    public CeleryTime {
        Objects.requireNonNull(local, "local");
    }

    /** Thrown with the reason a worker would give in its "invalid ETA value" log line. */
    public static final class InvalidTimeException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidTimeException(String message) {
            super(message);
        }
    }

    public static CeleryTime of(OffsetDateTime time) {
        return new CeleryTime(time.toLocalDateTime(), time.getOffset());
    }

    public static CeleryTime naive(LocalDateTime time) {
        return new CeleryTime(time, null);
    }

    /** Parses what a worker would parse; throws {@link InvalidTimeException} where the worker rejects the task. */
    public static CeleryTime parse(String text) {
        Matcher m = ISO8601.matcher(text);
        if (!m.lookingAt()) {
            throw new InvalidTimeException("unable to parse date string '" + text + "'");
        }
        if (m.group("month") == null || m.group("day") == null) {
            throw new InvalidTimeException("incomplete date string '" + text + "'");
        }
        try {
            long fraction = m.group("fraction") == null ? 0 : parseMicros(m.group("fraction"));
            if (Integer.parseInt(m.group("year")) < 1) {
                throw new InvalidTimeException("year 0 is out of range in '" + text + "'");
            }
            if (fraction > 999_999) {
                throw new InvalidTimeException("microsecond must be in 0..999999 in '" + text + "'");
            }
            LocalDateTime local = LocalDateTime.of(
                    Integer.parseInt(m.group("year")),
                    Integer.parseInt(m.group("month")),
                    Integer.parseInt(m.group("day")),
                    m.group("hour") == null ? 0 : Integer.parseInt(m.group("hour")),
                    m.group("minute") == null ? 0 : Integer.parseInt(m.group("minute")),
                    m.group("second") == null ? 0 : Integer.parseInt(m.group("second")),
                    (int) fraction * 1000);
            return new CeleryTime(local, offset(m.group("timezone")));
        } catch (DateTimeException e) {
            throw new InvalidTimeException(e.getMessage() + " in '" + text + "'");
        }
    }

    private static long parseMicros(String digits) {
        String trimmed = digits.replaceFirst("^0+(?=.)", "");
        return trimmed.length() > 7 ? Long.MAX_VALUE : Long.parseLong(trimmed);
    }

    private static ZoneOffset offset(String tz) {
        if (tz == null) {
            return null;
        }
        if (tz.equals("Z")) {
            return ZoneOffset.UTC;
        }
        int hours = Integer.parseInt(tz.substring(1, 3));
        int minutes = Integer.parseInt(tz.substring(4, 6));
        int total = hours * 3600 + minutes * 60;
        if (total > 18 * 3600) {
            throw new DateTimeException("offset out of range");
        }
        return ZoneOffset.ofTotalSeconds(tz.charAt(0) == '-' ? -total : total);
    }

    public boolean isNaive() {
        return offset == null;
    }

    /** The instant, reading a naive value as UTC. */
    public OffsetDateTime resolve() {
        return resolve(ZoneOffset.UTC);
    }

    /** The instant, reading a naive value in {@code naiveZone}. */
    public OffsetDateTime resolve(ZoneId naiveZone) {
        return offset != null ? local.atOffset(offset) : local.atZone(naiveZone).toOffsetDateTime();
    }

    public Optional<ZoneOffset> offsetIfAware() {
        return Optional.ofNullable(offset);
    }

    /** Python's {@code datetime.isoformat()}: microseconds only when non-zero, offset as {@code +HH:MM}. */
    public String isoformat() {
        StringBuilder out = new StringBuilder(32);
        out.append(String.format(
                "%04d-%02d-%02dT%02d:%02d:%02d",
                local.getYear(),
                local.getMonthValue(),
                local.getDayOfMonth(),
                local.getHour(),
                local.getMinute(),
                local.getSecond()));
        int micros = local.getNano() / 1000;
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

    @Override
    public String toString() {
        return isoformat();
    }
}
