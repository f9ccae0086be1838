package io.celerypgmq.cli;

import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.ConnectionSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command that talks to Redis or Postgres shares: a config file and per-setting overrides. */
public final class ConnectionOptions {

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "YAML configuration file (see config/ for examples).")
    Path configFile;

    @Option(
            names = "--redis-url",
            paramLabel = "URL",
            description = "Celery's broker, overrides redis.url and CELERY_PGMQ_REDIS_URL."
                    + FlagPasswords.HELP
                    + "CELERY_PGMQ_REDIS_URL or the config file.")
    String redisUrl;

    @Option(
            names = "--database-url",
            paramLabel = "URL",
            description = "Postgres with pgmq, overrides database.url and CELERY_PGMQ_DATABASE_URL."
                    + FlagPasswords.HELP
                    + "CELERY_PGMQ_DATABASE_URL or the config file.")
    String databaseUrl;

    /** A command reads its configuration more than once; the warning about passwords in flags is given once. */
    private boolean flagsChecked;

    /** The layered configuration: these flags, then the environment, then the file, then defaults. */
    public ConfigSource source() {
        if (!flagsChecked) {
            flagsChecked = true;
            FlagPasswords.checkRedis("--redis-url", redisUrl, ConnectionSettings.REDIS_URL.envVar());
            FlagPasswords.checkDatabase("--database-url", databaseUrl, ConnectionSettings.DATABASE_URL.envVar());
        }
        Map<String, String> flags = new HashMap<>();
        if (redisUrl != null) {
            flags.put(ConnectionSettings.REDIS_URL.key(), redisUrl);
        }
        if (databaseUrl != null) {
            flags.put(ConnectionSettings.DATABASE_URL.key(), databaseUrl);
        }
        return configFile == null
                ? ConfigSource.of(System.getenv(), flags)
                : ConfigSource.load(configFile, System.getenv(), flags);
    }

    public ConnectionSettings connections() {
        return ConnectionSettings.from(source());
    }
}
