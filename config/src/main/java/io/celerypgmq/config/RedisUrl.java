package io.celerypgmq.config;

import java.net.URI;

/**
 * A Redis connection as Celery writes it: {@code redis://[[user]:password@]host[:port][/db]} or {@code rediss://}
 * for TLS. {@link #toString()} masks the password.
 */
public record RedisUrl(String host, int port, int database, String user, String password, boolean tls) {

    public static final int DEFAULT_PORT = 6379;

    public RedisUrl {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("no host in Redis URL");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range");
        }
        if (database < 0) {
            throw new IllegalArgumentException("database index must be >= 0");
        }
    }

    /**
     * Parses a Celery-style Redis URL. The user information runs up to the last {@code @}, so a password may hold
     * {@code / # ? @ :} as it is; {@code %XX} escapes in it are decoded. {@code redis://secret@host} is a password
     * without a user, as in Celery.
     */
    public static RedisUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty Redis URL");
        }
        UrlParts parts = UrlParts.split(text.trim());
        String scheme = parts.scheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("expected redis://host:port/db or rediss://...");
        }
        String user = parts.user();
        String password = parts.password();
        if (password == null) {
            password = user;
            user = null;
        }
        URI location = parts.location();
        int database = 0;
        String path = location.getPath();
        if (path != null && path.length() > 1) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("database must be a number, found '" + path.substring(1) + "'");
            }
        }
        if (location.getHost() == null) {
            throw new IllegalArgumentException("no host in Redis URL (a port must be a number)");
        }
        int port = location.getPort() > 0 ? location.getPort() : DEFAULT_PORT;
        return new RedisUrl(
                location.getHost(), port, database, emptyToNull(user), emptyToNull(password), "rediss".equals(scheme));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    public RedisUrl withDatabase(int db) {
        return new RedisUrl(host, port, db, user, password, tls);
    }

    /** The URL with the password masked. */
    public String masked() {
        String auth = password == null ? "" : (user == null ? "" : user) + ":" + Secrets.MASK + "@";
        return (tls ? "rediss" : "redis") + "://" + auth + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return masked();
    }
}
