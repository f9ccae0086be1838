package io.celerypgmq.testkit;

import io.celerypgmq.config.DatabaseUrl;
import io.celerypgmq.config.RedisUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Postgres-with-pgmq and Redis in containers. Every Testcontainers reference lives here, so a classpath without
 * Testcontainers (the CLI's) only loses this choice. Containers are reaped by Testcontainers when the JVM exits.
 */
final class ContainerBackends {
    /** pgmq 1.5.1 is the newest release our docs/PGMQ-API.md was written against. */
    static final String PGMQ_IMAGE = "ghcr.io/pgmq/pg17-pgmq:v1.5.1";

    static final String REDIS_IMAGE = "redis:7.4";
    private static final String PASSWORD = "postgres";

    private ContainerBackends() {}

    static PostgresServer postgres() throws Exception {
        requireDocker();
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(PGMQ_IMAGE))
                .withEnv("POSTGRES_PASSWORD", PASSWORD)
                .withExposedPorts(5432)
                .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=200")
                // the entrypoint starts the server twice (init, then for real); the second readiness line counts
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        container.start();
        DatabaseUrl url = new DatabaseUrl(
                "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/postgres",
                "postgres",
                PASSWORD);
        Jdbc.checkConnects(url);
        return new PostgresServer(url, "testcontainers " + PGMQ_IMAGE);
    }

    static RedisServer redis() throws Exception {
        requireDocker();
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(REDIS_IMAGE))
                .withExposedPorts(6379)
                .withCommand("redis-server", "--save", "", "--appendonly", "no")
                .waitingFor(Wait.forListeningPort());
        container.start();
        RedisUrl url = new RedisUrl(container.getHost(), container.getMappedPort(6379), 0, null, null, false);
        RedisIndexLease.ping(url);
        return new RedisServer(url, "testcontainers " + REDIS_IMAGE);
    }

    private static void requireDocker() throws BackendProbe.Unavailable {
        requireDocker(System::getenv, Path.of(System.getProperty("user.home")));
    }

    static void requireDocker(UnaryOperator<String> env, Path home) throws BackendProbe.Unavailable {
        if (DockerHints.find(env, home).isEmpty()) {
            throw new BackendProbe.Unavailable(
                    "no Docker engine (DOCKER_HOST unset, no docker.sock, no ~/.testcontainers.properties)");
        }
        boolean available;
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            throw new BackendProbe.Unavailable("cannot ask for a Docker engine (" + e + ")");
        }
        if (!available) {
            throw new BackendProbe.Unavailable("no Docker engine found");
        }
    }
}
