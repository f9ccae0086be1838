package io.celerypgmq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.store.PostgresPool;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.bridge.store.StoreUnavailableException;
import io.celerypgmq.config.ConnectionSettings;
import redis.clients.jedis.JedisPooled;

/** Opens the stores a command needs, turning "cannot reach it" into exit code 3 with a masked message. */
final class Stores {
    private Stores() {}

    static HikariDataSource postgres(ConnectionSettings settings, String poolName) {
        try {
            return PostgresPool.open(settings.database(), settings.databasePoolSize(), poolName);
        } catch (StoreUnavailableException e) {
            throw new CannotStartException(e.getMessage(), e);
        }
    }

    static JedisPooled redis(ConnectionSettings settings) {
        try {
            return RedisConnections.open(settings.redis());
        } catch (StoreUnavailableException e) {
            throw new CannotStartException(e.getMessage(), e);
        }
    }
}
