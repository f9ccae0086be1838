package io.celerypgmq.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerHintsTest {
    @TempDir
    Path home;

    @Test
    void withoutAnySignOfDockerTheContainerChoiceDegradesToUnavailable() {
        Map<String, String> env = Map.of();
        // /var/run/docker.sock is the one sign the temporary home cannot hide
        boolean socketHere = Files.exists(Path.of("/var/run/docker.sock"));

        if (socketHere) {
            assertThat(DockerHints.find(env::get, home)).contains("/var/run/docker.sock exists");
        } else {
            assertThat(DockerHints.find(env::get, home)).isEmpty();
            assertThatThrownBy(() -> ContainerBackends.requireDocker(env::get, home))
                    .isInstanceOf(BackendProbe.Unavailable.class)
                    .hasMessageStartingWith("no Docker engine");
        }
    }

    @Test
    void dockerHostOrAUserSocketCountsAsASign() throws IOException {
        assertThat(DockerHints.find(Map.of("DOCKER_HOST", "tcp://10.0.0.5:2375")::get, home))
                .contains("DOCKER_HOST is set");

        Files.createDirectories(home.resolve(".docker/run"));
        Files.createFile(home.resolve(".docker/run/docker.sock"));
        assertThat(DockerHints.find(Map.<String, String>of()::get, home)).isPresent();
    }
}
