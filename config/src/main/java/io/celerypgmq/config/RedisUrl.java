package io.celerypgmq.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

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

    public static RedisUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty Redis URL");
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("expected redis://host:port/db or rediss://...");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            if (parts.length == 2) {
                user = parts[0].isEmpty() ? null : decode(parts[0]);
                password = decode(parts[1]);
            } else {
                password = decode(parts[0]);
            }
        }
        int database = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("database must be a number, found '" + path.substring(1) + "'");
            }
        }
        int port = uri.getPort() > 0 ? uri.getPort() : DEFAULT_PORT;
        return new RedisUrl(uri.getHost(), port, database, user, password, "rediss".equals(scheme));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
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
