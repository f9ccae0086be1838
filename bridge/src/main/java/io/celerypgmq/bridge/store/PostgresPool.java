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

    /**
     * Plan every execution of a prepared statement with its own parameters. pgjdbc server-prepares a statement from
     * its fifth run (binary results, no re-parse: the way back reads each kept envelope as raw bytes instead of hex);
     * a generic plan made while the ledger was empty would scan it once it is large, and on a server without
     * autovacuum nothing would ever correct it. Planning costs about a microsecond per message.
     */
    static final String CUSTOM_PLANS = "SET plan_cache_mode = force_custom_plan";

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
        // pgjdbc's default prepareThreshold (5) server-prepares statements, planned per execution (CUSTOM_PLANS).
        // Behind PgBouncer < 1.21 in transaction pooling, named statements do not survive: add prepareThreshold=0 to
        // the URL there (a parameter in the URL wins over this pool's properties).
        // No statement text with inlined parameters, no server "Detail"/"Where" in exception messages: a failed batch's
        // messages would otherwise reach the logs (a BatchUpdateException quotes every parameter, NULs included).
        config.addDataSourceProperty("logServerErrorDetail", false);
        config.setConnectionInitSql(PREFER_LZ4 + "; " + CUSTOM_PLANS);
        try {
            HikariDataSource pool = new HikariDataSource(config);
            LOG.info("[postgres] pool {} open on {} ({} connections)", poolName, url.masked(), size);
            return pool;
        } catch (HikariPool.PoolInitializationException | IllegalArgumentException e) {
            throw new StoreUnavailableException("Postgres", url.masked(), url.password(), e);
        }
    }
}
