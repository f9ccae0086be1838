package io.celerypgmq.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionSettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsPointAtLocalServices() {
        ConnectionSettings settings = ConnectionSettings.from(ConfigSource.of(Map.of(), Map.of()));
        assertThat(settings.redis()).isEqualTo(RedisUrl.parse("redis://127.0.0.1:6379/0"));
        assertThat(settings.database().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/postgres");
        assertThat(settings.databasePoolSize()).isEqualTo(4);
    }

    @Test
    void environmentOverridesTheFileAndFlagsOverrideBoth() throws IOException {
        Path file = Files.writeString(
                dir.resolve("c.yml"), "redis:\n  url: redis://file:6379/1\ndatabase:\n  url: postgresql://u@file/db\n");
        Map<String, String> env = Map.of("CELERY_PGMQ_REDIS_URL", "redis://env:6380/2");

        ConnectionSettings fromEnv = ConnectionSettings.from(ConfigSource.load(file, env, Map.of()));
        assertThat(fromEnv.redis().host()).isEqualTo("env");
        assertThat(fromEnv.database().jdbcUrl()).isEqualTo("jdbc:postgresql://file:5432/db");

        ConnectionSettings fromFlag =
                ConnectionSettings.from(ConfigSource.load(file, env, Map.of("redis.url", "redis://flag:1/3")));
        assertThat(fromFlag.redis()).isEqualTo(new RedisUrl("flag", 1, 3, null, null, false));
    }

    @Test
    void aBadValueNamesItsKeyAndOriginButNeverThePassword() {
        Map<String, String> env = Map.of("CELERY_PGMQ_DATABASE_URL", "mysql://root:topsecret@db/x");
        assertThatThrownBy(() -> ConnectionSettings.from(ConfigSource.of(env, Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("database.url")
                .hasMessageContaining("CELERY_PGMQ_DATABASE_URL")
                .hasMessageNotContaining("topsecret");
    }

    @Test
    void aPoolSizeOutOfRangeIsRefused() {
        assertThatThrownBy(() -> ConnectionSettings.from(ConfigSource.of(Map.of(), Map.of("database.pool-size", "0"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("database.pool-size")
                .hasMessageContaining("between 1 and 64");
    }

    @Test
    void aMissingConfigFileIsAConfigError() {
        assertThatThrownBy(() -> ConfigSource.load(dir.resolve("nope.yml"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no such file");
    }

    @Test
    void databaseUrlsKeepThePasswordOutOfTheJdbcUrl() {
        DatabaseUrl libpq = DatabaseUrl.parse("postgresql://app:p%40ss@db:6543/prod?sslmode=require");
        assertThat(libpq.jdbcUrl()).isEqualTo("jdbc:postgresql://db:6543/prod?sslmode=require");
        assertThat(libpq.user()).isEqualTo("app");
        assertThat(libpq.password()).isEqualTo("p@ss");
        assertThat(libpq.toString()).doesNotContain("p@ss");

        DatabaseUrl jdbc = DatabaseUrl.parse("jdbc:postgresql://db/prod?user=app&password=x&ssl=true");
        assertThat(jdbc.jdbcUrl()).isEqualTo("jdbc:postgresql://db/prod?ssl=true");
        assertThat(jdbc.password()).isEqualTo("x");
        assertThat(jdbc.withDatabase("other").jdbcUrl()).isEqualTo("jdbc:postgresql://db/other?ssl=true");
    }

    @Test
    void redisUrlsParseCeleryStyle() {
        RedisUrl url = RedisUrl.parse("redis://:pw@cache:6380/5");
        assertThat(url).isEqualTo(new RedisUrl("cache", 6380, 5, null, "pw", false));
        assertThat(url.masked()).isEqualTo("redis://:****@cache:6380/5");
        assertThatThrownBy(() -> RedisUrl.parse("redis://cache/x")).hasMessageContaining("database must be a number");
    }

    @Test
    void theReferenceListsEverySettingWithItsDefault() {
        String reference = SettingsReference.markdown(ConnectionSettings.SETTINGS);
        assertThat(reference)
                .contains("| `redis.url` | `CELERY_PGMQ_REDIS_URL` | `redis://127.0.0.1:6379/0` |")
                .contains("`database.pool-size`");
    }
}
