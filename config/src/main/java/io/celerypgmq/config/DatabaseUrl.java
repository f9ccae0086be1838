package io.celerypgmq.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL connection, given as {@code postgresql://user:password@host:port/db?params} (libpq style) or
 * {@code jdbc:postgresql://host:port/db?user=..&password=..}. Keeps the password apart from the JDBC URL so it is
 * never logged; {@link #toString()} shows the masked form.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {
    private static final String JDBC_PREFIX = "jdbc:postgresql://";
    /** pgjdbc's authority: {@code host[:port]}, several comma separated; hosts are names, IPv4 or [IPv6]. */
    private static final Pattern JDBC_HOSTS = Pattern.compile(
            "(?:\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]*)(?::\\d+)?(?:,(?:\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(?::\\d+)?)*");

    public DatabaseUrl {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    }

    public static DatabaseUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty database URL");
        }
        String trimmed = text.trim();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return fromJdbc(trimmed);
        }
        if (trimmed.startsWith("postgresql://") || trimmed.startsWith("postgres://")) {
            return fromLibpq(trimmed);
        }
        throw new IllegalArgumentException(
                "expected postgresql://user:password@host:port/database or jdbc:postgresql://...");
    }

    /**
     * libpq's URL form. The user information runs up to the last {@code @}, so a password may hold {@code / # ? @ :}
     * as it is; {@code %XX} escapes in it are decoded. {@code user} and {@code password} query parameters are taken
     * out of the query like the JDBC form's, so a password given there never reaches the JDBC URL either.
     */
    private static DatabaseUrl fromLibpq(String text) {
        UrlParts parts = UrlParts.split(text);
        URI location = parts.location();
        if (location.getHost() == null) {
            throw new IllegalArgumentException("no host in database URL (a port must be a number)");
        }
        int port = location.getPort() > 0 ? location.getPort() : 5432;
        String database = location.getPath() == null || location.getPath().length() <= 1
                ? "postgres"
                : location.getPath().substring(1);
        String query = location.getRawQuery() == null ? "" : "?" + location.getRawQuery();
        DatabaseUrl fromQuery = fromQuery(
                "jdbc:postgresql://" + location.getHost() + ":" + port + "/" + database + query,
                UrlParts::percentDecode);
        return new DatabaseUrl(
                fromQuery.jdbcUrl(),
                parts.user() != null && !parts.user().isEmpty() ? parts.user() : fromQuery.user(),
                parts.password() != null ? parts.password() : fromQuery.password());
    }

    /** pgjdbc form-decodes its parameters ({@code +} is a space), so the JDBC form does too. */
    private static DatabaseUrl fromJdbc(String text) {
        if (text.startsWith(JDBC_PREFIX)) {
            String rest = text.substring(JDBC_PREFIX.length());
            Matcher hosts = JDBC_HOSTS.matcher(rest);
            if (!hosts.lookingAt() || (hosts.end() < rest.length() && "/?".indexOf(rest.charAt(hosts.end())) < 0)) {
                // user:password@host here would be taken for a host (or a port, a path...) and quoted in errors.
                throw new IllegalArgumentException(
                        "expected jdbc:postgresql://host[:port]/database?user=..&password=..;"
                                + " the JDBC form takes the user and password as parameters, not before an @");
            }
        }
        return fromQuery(text, DatabaseUrl::formDecode);
    }

    private static DatabaseUrl fromQuery(String text, UnaryOperator<String> decode) {
        int q = text.indexOf('?');
        if (q < 0) {
            return new DatabaseUrl(text, null, null);
        }
        StringBuilder kept = new StringBuilder();
        String user = null;
        String password = null;
        for (String param : text.substring(q + 1).split("&")) {
            String[] kv = param.split("=", 2);
            String name = kv[0];
            String value = kv.length > 1 ? decode.apply(kv[1]) : "";
            if (name.equalsIgnoreCase("user")) {
                user = value;
            } else if (name.equalsIgnoreCase("password")) {
                password = value;
            } else if (!param.isEmpty()) {
                kept.append(kept.length() == 0 ? "?" : "&").append(param);
            }
        }
        return new DatabaseUrl(text.substring(0, q) + kept, user, password);
    }

    private static String formDecode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // URLDecoder's message quotes the value, which may be the password.
            throw new IllegalArgumentException(
                    "a parameter holds a '%' that starts no percent-escape; write a literal % as %25");
        }
    }

    /**
     * The URL as it may be shown: user kept, password masked. The JDBC URL holds no password by construction; masking
     * it again costs nothing and keeps a stray {@code user:password@} or parameter out of a log line all the same.
     */
    public String masked() {
        String who = user == null ? "" : " as " + user + (password == null ? "" : " (password " + Secrets.MASK + ")");
        return Secrets.maskValue(jdbcUrl) + who;
    }

    /** Same server and credentials, another database. */
    public DatabaseUrl withDatabase(String database) {
        String rest = jdbcUrl.substring("jdbc:postgresql://".length());
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        int q = rest.indexOf('?');
        String query = q < 0 ? "" : rest.substring(q);
        return new DatabaseUrl("jdbc:postgresql://" + hostPort + "/" + database + query, user, password);
    }

    @Override
    public String toString() {
        return masked();
    }
}
