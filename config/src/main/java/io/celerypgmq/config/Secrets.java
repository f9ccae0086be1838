package io.celerypgmq.config;

import java.util.regex.Pattern;

/** Masks passwords in connection strings before they reach a log line, an error or a report. */
public final class Secrets {
    public static final String MASK = "****";

    /** {@code scheme://user:password@host} and {@code scheme://:password@host}. */
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("(?<=://)([^/@:?#]*):([^/@?#]*)@");

    /** {@code password=...} in JDBC query strings and libpq keyword strings. */
    private static final Pattern PASSWORD_PARAM =
            Pattern.compile("(?i)((?:^|[?&;\\s])(?:password|pass|pwd)=)([^&;\\s]*)");

    private Secrets() {}

    /** Returns {@code text} with every password in it replaced by {@value #MASK}; {@code null} stays {@code null}. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = USERINFO_PASSWORD.matcher(text).replaceAll(m -> m.group(1) + ":" + MASK + "@");
        return PASSWORD_PARAM.matcher(masked).replaceAll(m -> m.group(1) + MASK);
    }

    /**
     * Masks a known secret wherever it occurs, for messages that come from a driver and may quote it verbatim.
     */
    public static String scrub(String text, String secret) {
        if (text == null || secret == null || secret.isEmpty()) {
            return mask(text);
        }
        return mask(text.replace(secret, MASK));
    }
}
