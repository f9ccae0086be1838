package io.celerypgmq.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.testkit.embedded.EmbeddedPostgres;
import io.celerypgmq.testkit.embedded.EmbeddedRedis;
import io.celerypgmq.testkit.embedded.Ports;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Selection with the real probes, steered through the settings a developer or CI would set. */
class ForcedBackendTest {
    private final Map<String, String> settings = new HashMap<>();

    private PostgresServer selectPostgres() {
        return new BackendSelector<>("Postgres", PostgresProbes.all(settings::get), settings::get, PostgresProbes.HINT)
                .select();
    }

    private RedisServer selectRedis() {
        return new BackendSelector<>("Redis", RedisProbes.all(settings::get), settings::get, RedisProbes.HINT).select();
    }

    @Test
    void forcingEmbeddedStartsEmbeddedServersEvenWhenLocalOnesExist() throws SQLException {
        settings.put(BackendSelector.FORCE_KEY, "embedded");

        PostgresServer postgres = selectPostgres();
        RedisServer redis = selectRedis();

        assertThat(postgres.description()).startsWith("embedded postgres 15.");
        assertThat(postgres.adminUrl().jdbcUrl()).doesNotContain(":5432/");
        Jdbc.checkConnects(postgres.adminUrl());
        assertThat(redis.description()).startsWith("embedded redis ");
        assertThat(redis.url().port()).isNotEqualTo(6379);
        RedisIndexLease.ping(redis.url());
    }

    @Test
    void explicitUrlsComeFirstAndAreUsedAsGiven() {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start();
                EmbeddedRedis redis = EmbeddedRedis.start()) {
            settings.put(PostgresProbes.URL_KEY, "postgresql://postgres@127.0.0.1:" + pg.port() + "/postgres");
            settings.put(RedisProbes.URL_KEY, "redis://127.0.0.1:" + redis.port() + "/4");

            PostgresServer postgres = selectPostgres();
            RedisServer redisServer = selectRedis();

            assertThat(postgres.description()).isEqualTo("env CELERY_PGMQ_TEST_PG_URL");
            assertThat(postgres.adminUrl().jdbcUrl()).isEqualTo(pg.url().jdbcUrl());
            assertThat(redisServer.description()).isEqualTo("env CELERY_PGMQ_TEST_REDIS_URL");
            assertThat(redisServer.url().port()).isEqualTo(redis.port());
            assertThat(redisServer.url().database())
                    .as("leases live in database 0")
                    .isZero();
        }
    }

    @Test
    void anExplicitUrlThatCannotBeReachedFailsWithoutFallingBackOrShowingItsPassword() {
        int closedPort = Ports.freePort();
        settings.put(PostgresProbes.URL_KEY, "postgresql://app:s3cret-pw@127.0.0.1:" + closedPort + "/postgres");

        assertThatThrownBy(this::selectPostgres)
                .isInstanceOf(NoTestBackendException.class)
                .hasMessageContaining("Tried: env: failed:")
                .hasMessageNotContaining("local:")
                .hasMessageNotContaining("s3cret-pw");
    }

    @Test
    void forcingTestcontainersWhereThereIsNoDockerFailsClearly() {
        settings.put(BackendSelector.FORCE_KEY, "testcontainers");
        boolean dockerHinted = DockerHints.find(System::getenv, Path.of(System.getProperty("user.home")))
                .isPresent();

        if (dockerHinted) {
            assertThat(selectRedis().description()).isEqualTo("testcontainers " + ContainerBackends.REDIS_IMAGE);
        } else {
            assertThatThrownBy(this::selectRedis)
                    .isInstanceOf(NoTestBackendException.class)
                    .hasMessageContaining("Tried: testcontainers: no Docker engine");
        }
    }
}
