package io.celerypgmq.bridge.pgmq;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A pgmq release number such as {@code 1.13.1}, ordered numerically (1.10 is newer than 1.9). */
public record PgmqVersion(int major, int minor, int patch) implements Comparable<PgmqVersion> {
    /** The oldest pgmq celery-pgmq works with: headers, timestamptz delays and conditional reads arrived in 1.5. */
    public static final PgmqVersion MINIMUM = new PgmqVersion(1, 5, 0);

    private static final Pattern FORM = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*");

    /** Parses {@code 1.13.1}, {@code 1.5} or {@code 1.6.0-dev}. */
    public static PgmqVersion parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a pgmq version: '" + text + "'");
        }
        int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return new PgmqVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch);
    }

    public boolean isAtLeast(PgmqVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(PgmqVersion other) {
        int byMajor = Integer.compare(major, other.major);
        if (byMajor != 0) {
            return byMajor;
        }
        int byMinor = Integer.compare(minor, other.minor);
        return byMinor != 0 ? byMinor : Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
