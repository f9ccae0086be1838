package io.celerypgmq.config;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * A connection URL taken apart the way an operator means it: {@code scheme://[user[:password]@]location}, where the
 * user information runs up to the <em>last</em> {@code @}. Generated passwords often hold {@code / # ? @ :}; a strict
 * URL parser ends the user information at the first of them and takes the rest of the password for a host, a path or
 * a fragment, then connects there or quotes it in an error. Percent-escapes in the user information are decoded as
 * usual ({@code p%40ss} is {@code p@ss}); a {@code %} that starts no escape is refused, as libpq refuses it. No message
 * of this class quotes the user information.
 *
 * @param scheme e.g. {@code redis} or {@code postgresql}, as written
 * @param user the decoded text before the first {@code :} of the user information, or {@code null} without any
 * @param password the decoded text after that {@code :}, or {@code null} when there is none
 * @param location host, port, path and query: everything after the user information, never part of a secret
 */
record UrlParts(String scheme, String user, String password, URI location) {

    /** Splits {@code text}; throws {@link IllegalArgumentException} with a reason that quotes no credentials. */
    static UrlParts split(String text) {
        int schemeEnd = text.indexOf("://");
        if (schemeEnd <= 0) {
            throw new IllegalArgumentException("not a URL: expected scheme://host...");
        }
        String scheme = text.substring(0, schemeEnd);
        String afterScheme = text.substring(schemeEnd + 3);
        int at = afterScheme.lastIndexOf('@');
        String user = null;
        String password = null;
        if (at >= 0) {
            String userInfo = afterScheme.substring(0, at);
            int colon = userInfo.indexOf(':');
            user = percentDecode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : percentDecode(userInfo.substring(colon + 1));
        }
        String location = afterScheme.substring(at + 1);
        try {
            return new UrlParts(scheme, user, password, new URI(scheme + "://" + location));
        } catch (URISyntaxException e) {
            // The reason names the problem without the input; the location holds no credentials anyway.
            throw new IllegalArgumentException("not a valid URL after the credentials (" + e.getReason() + ")");
        }
    }

    /** Percent-decoding as RFC 3986 has it: unlike form decoding, a {@code +} stays a plus. */
    static String percentDecode(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            int c = encoded.codePointAt(i);
            if (c != '%') {
                bytes.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c) - 1;
                continue;
            }
            int value = i + 2 < encoded.length() ? hex(encoded.charAt(i + 1), encoded.charAt(i + 2)) : -1;
            if (value < 0) {
                throw new IllegalArgumentException("a user, password or parameter holds a '%' that starts no"
                        + " percent-escape; write a literal % as %25");
            }
            bytes.write(value);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char high, char low) {
        int h = Character.digit(high, 16);
        int l = Character.digit(low, 16);
        return h < 0 || l < 0 ? -1 : h * 16 + l;
    }
}
