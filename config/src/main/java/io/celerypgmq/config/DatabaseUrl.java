package io.celerypgmq.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A PostgreSQL connection, given as {@code postgresql://user:password@host:port/db?params} (libpq style) or
 * {@code jdbc:postgresql://host:port/db?user=..&password=..}. Keeps the password apart from the JDBC URL so it is
 * never logged; {@link #toString()} shows the masked form.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

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

    private static DatabaseUrl fromLibpq(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL (" + e.getReason() + ")");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in database URL");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 5432;
        String database = uri.getPath() == null || uri.getPath().length() <= 1
                ? "postgres"
                : uri.getPath().substring(1);
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new DatabaseUrl(
                "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + database + query, user, password);
    }

    private static DatabaseUrl fromJdbc(String text) {
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
            String value = kv.length > 1 ? decode(kv[1]) : "";
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

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The URL as it may be shown: user kept, password masked. */
    public String masked() {
        String who = user == null ? "" : " as " + user + (password == null ? "" : " (password " + Secrets.MASK + ")");
        return jdbcUrl + who;
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
