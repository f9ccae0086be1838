package io.celerypgmq.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks passwords in connection strings before they reach a log line, an error or a report. The rule does not depend
 * on the URL being well-formed: everything between {@code ://} and the last {@code @} is masked, because a password
 * may hold {@code / # ? @ :} and a URL that fails to parse is exactly the one an error message would quote.
 */
public final class Secrets {
    public static final String MASK = "****";

    /** A URL in running text: it ends at white space, a quote or an angle bracket. */
    private static final Pattern URL_IN_TEXT = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^\\s'\"<>]*)");

    /** {@code password=...} in JDBC query strings and libpq keyword strings. */
    private static final Pattern PASSWORD_PARAM =
            Pattern.compile("(?i)((?:^|[?&;\\s])(?:password|pass|pwd)=)([^&;\\s]*)");

    /** In one setting's value a password parameter runs to the end: its own {@code &} cannot be told apart. */
    private static final Pattern PASSWORD_PARAM_TO_END =
            Pattern.compile("(?i)((?:^|[?&;\\s])(?:password|pass|pwd)=).*");

    /** {@code user:****}, as a parsed URL's masked form shows it: nothing secret is left to mask. */
    private static final Pattern ALREADY_MASKED = Pattern.compile("[^:@]*:" + Pattern.quote(MASK));

    private Secrets() {}

    /** Returns {@code text} with every password in it replaced by {@value #MASK}; {@code null} stays {@code null}. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        // Parameters first: a password parameter may hold an @ that would move "the last @" past it.
        String masked = PASSWORD_PARAM.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        return URL_IN_TEXT
                .matcher(masked)
                .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + maskUserInfo(m.group(2))));
    }

    /**
     * The form of one setting's value that may be shown, for a value that may be a connection URL and may not parse:
     * everything between {@code ://} (or the start) and the last {@code @} is masked, and so is everything after a
     * {@code password=} parameter. White space and quotes do not end the masked part, since a password may hold them.
     */
    public static String maskValue(String value) {
        if (value == null) {
            return null;
        }
        String masked =
                PASSWORD_PARAM_TO_END.matcher(value).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        int schemeEnd = masked.indexOf("://");
        int start = schemeEnd < 0 ? 0 : schemeEnd + 3;
        return masked.substring(0, start) + maskUserInfo(masked.substring(start));
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

    private static String maskUserInfo(String afterScheme) {
        int at = afterScheme.lastIndexOf('@');
        if (at < 0 || ALREADY_MASKED.matcher(afterScheme.substring(0, at)).matches()) {
            return afterScheme;
        }
        return MASK + afterScheme.substring(at);
    }
}
