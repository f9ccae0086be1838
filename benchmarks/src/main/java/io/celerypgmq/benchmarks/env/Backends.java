package io.celerypgmq.benchmarks.env;

import io.celerypgmq.config.DatabaseUrl;
import io.celerypgmq.config.RedisUrl;
import io.celerypgmq.testkit.embedded.EmbeddedPostgres;
import io.celerypgmq.testkit.embedded.EmbeddedRedis;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The Postgres and Redis a bench run uses: the local services when they answer (faster and what a deployment looks
 * like), else embedded ones. Postgres gets a database of its own, recreated per run; Redis a leased database index.
 */
public final class Backends implements AutoCloseable {
    public static final String DATABASE = "celery_pgmq_bench";
    private static final DatabaseUrl LOCAL_PG =
            new DatabaseUrl("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", null);
    private static final RedisUrl LOCAL_REDIS = RedisUrl.parse("redis://127.0.0.1:6379/0");

    private final DatabaseUrl database;
    private final RedisUrl redis;
    private final RedisLease lease;
    private final String postgresSource;
    private final String redisSource;
    private final AutoCloseable[] owned;

    private Backends(
            DatabaseUrl database, RedisUrl redis, RedisLease lease, String pg, String rs, AutoCloseable... owned) {
        this.database = database;
        this.redis = redis;
        this.lease = lease;
        this.postgresSource = pg;
        this.redisSource = rs;
        this.owned = owned;
    }

    /** Local services where they answer, embedded ones otherwise; a fresh bench database either way. */
    public static Backends open() {
        EmbeddedPostgres embeddedPg = null;
        EmbeddedRedis embeddedRedis = null;
        DatabaseUrl server = LOCAL_PG;
        String pg = "local postgres 127.0.0.1:5432";
        if (!answers(LOCAL_PG)) {
            embeddedPg = EmbeddedPostgres.start();
            server = embeddedPg.url();
            pg = "embedded postgres " + embeddedPg.version();
        }
        RedisUrl redisServer = LOCAL_REDIS;
        String rs = "local redis 127.0.0.1:6379";
        if (!answers(LOCAL_REDIS)) {
            embeddedRedis = EmbeddedRedis.start();
            redisServer = embeddedRedis.url();
            rs = "embedded redis " + embeddedRedis.version();
        }
        DatabaseUrl bench = recreate(server, DATABASE);
        RedisLease lease = RedisLease.acquire(redisServer);
        return new Backends(bench, lease.url(), lease, pg, rs, embeddedPg, embeddedRedis);
    }

    /** A database and Redis index someone else prepared and owns (the memory check's child JVM). */
    public static Backends existing(DatabaseUrl database, RedisUrl redis) {
        return new Backends(database, redis, null, "given postgres", "given redis");
    }

    public DatabaseUrl database() {
        return database;
    }

    public RedisUrl redis() {
        return redis;
    }

    /** e.g. {@code local postgres 127.0.0.1:5432, local redis 127.0.0.1:6379 db 15}. */
    public String describe() {
        return postgresSource + " (database " + databaseName(database) + "), " + redisSource + " db "
                + redis.database();
    }

    @Override
    public void close() {
        if (lease != null) {
            lease.close();
        }
        for (AutoCloseable c : owned) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // stopping a throwaway server: nothing left to protect
                }
            }
        }
    }

    private static boolean answers(DatabaseUrl url) {
        try (Connection c = connect(url)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static boolean answers(RedisUrl url) {
        try (Jedis j = new Jedis(url.host(), url.port(), 2_000)) {
            return "PONG".equals(j.ping());
        } catch (JedisException e) {
            return false;
        }
    }

    private static DatabaseUrl recreate(DatabaseUrl server, String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection c = connect(server);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the bench database on " + server.masked(), e);
        }
        return withDatabase(server, name);
    }

    static DatabaseUrl withDatabase(DatabaseUrl server, String name) {
        return server.withDatabase(name);
    }

    private static String databaseName(DatabaseUrl url) {
        String path = url.jdbcUrl().replaceFirst("^jdbc:postgresql://[^/]+/", "");
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    static Connection connect(DatabaseUrl url) throws SQLException {
        Properties p = new Properties();
        if (url.user() != null) {
            p.setProperty("user", url.user());
        }
        if (url.password() != null) {
            p.setProperty("password", url.password());
        }
        p.setProperty("connectTimeout", "2");
        return DriverManager.getConnection(url.jdbcUrl(), p);
    }
}
