package io.celerypgmq.config;

import java.util.List;

/**
 * Where Celery's Redis and the PGMQ Postgres are. Every command needs these; the rest of the configuration belongs
 * to the module that uses it.
 */
public record ConnectionSettings(RedisUrl redis, DatabaseUrl database, int databasePoolSize) {

    public static final Setting<RedisUrl> REDIS_URL = new Setting<>(
                    "redis.url",
                    "Celery's broker: redis://[user:password@]host:port/db (rediss:// for TLS).",
                    "redis://127.0.0.1:6379/0",
                    null,
                    false,
                    RedisUrl::parse)
            .withEnv("CELERY_PGMQ_REDIS_URL");

    public static final Setting<DatabaseUrl> DATABASE_URL = new Setting<>(
                    "database.url",
                    "The Postgres that holds pgmq and the ledger: postgresql://user:password@host:port/db or jdbc:postgresql://...",
                    "postgresql://postgres@127.0.0.1:5432/postgres",
                    null,
                    false,
                    DatabaseUrl::parse)
            .withEnv("CELERY_PGMQ_DATABASE_URL");

    public static final Setting<Integer> DATABASE_POOL_SIZE =
            Setting.integer("database.pool-size", "Connections the tool keeps open to Postgres.", 4, 1, 64);

    public static final List<Setting<?>> SETTINGS = List.of(REDIS_URL, DATABASE_URL, DATABASE_POOL_SIZE);

    public static ConnectionSettings from(ConfigSource source) {
        return new ConnectionSettings(source.get(REDIS_URL), source.get(DATABASE_URL), source.get(DATABASE_POOL_SIZE));
    }

    /** One line for the start-up log, passwords masked. */
    public String describe() {
        return "redis=" + redis.masked() + " database=" + database.masked() + " pool=" + databasePoolSize;
    }
}
