package io.celerypgmq.bridge.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.celerypgmq.config.DatabaseUrl;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the HikariCP pool every component shares, checking the connection once so start-up fails fast. */
public final class PostgresPool {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresPool.class);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Compress what this tool writes with lz4 where the server has it (PostgreSQL 14+, built with lz4). A task message
     * with the envelope copy in its headers passes Postgres' 2 KB compression threshold, and pglz costs about a fifth
     * of such a send; lz4 reads back everywhere the server runs. A server without it (older than 14, or built without
     * lz4) does not list it, and the setting is left as it is.
     */
    static final String PREFER_LZ4 = "SELECT set_config('default_toast_compression', 'lz4', false) FROM pg_settings"
            + " WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)";

    private PostgresPool() {}

    /**
     * A pool of {@code size} connections to {@code url}.
     *
     * @throws StoreUnavailableException when the server cannot be reached or refuses the credentials
     */
    public static HikariDataSource open(DatabaseUrl url, int size, String poolName) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            config.setUsername(url.user());
        }
        if (url.password() != null) {
            config.setPassword(url.password());
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(1, size));
        config.setPoolName(poolName);
        config.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
        config.setInitializationFailTimeout(CONNECT_TIMEOUT.toMillis());
        config.addDataSourceProperty("connectTimeout", (int) CONNECT_TIMEOUT.toSeconds());
        config.addDataSourceProperty("ApplicationName", "celery-pgmq");
        // Plan every statement when it runs. Server-side prepared statements keep the plan made while the ledger was
        // empty (a sequential scan) until the table is analyzed; on a server without autovacuum that never happens,
        // and each batch then scans the whole, growing ledger. Planning costs about a microsecond per message.
        config.addDataSourceProperty("prepareThreshold", 0);
        // No statement text with inlined parameters, no server "Detail"/"Where" in exception messages: a failed batch's
        // messages would otherwise reach the logs (a BatchUpdateException quotes every parameter, NULs included).
        config.addDataSourceProperty("logServerErrorDetail", false);
        config.setConnectionInitSql(PREFER_LZ4);
        try {
            HikariDataSource pool = new HikariDataSource(config);
            LOG.info("[postgres] pool {} open on {} ({} connections)", poolName, url.masked(), size);
            return pool;
        } catch (HikariPool.PoolInitializationException | IllegalArgumentException e) {
            throw new StoreUnavailableException("Postgres", url.masked(), url.password(), e);
        }
    }
}
