package io.celerypgmq.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Cheap signs that a Docker engine may exist. Asking Testcontainers directly where there is none logs a page of
 * errors in every module's test output, so it is asked only when one of these signs is present.
 */
final class DockerHints {
    private DockerHints() {}

    /** The first sign found (a variable or a socket), or empty when there is none. */
    static Optional<String> find(UnaryOperator<String> env, Path home) {
        for (String key : List.of("DOCKER_HOST", "TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE", "TC_CLOUD_TOKEN")) {
            String value = env.apply(key);
            if (value != null && !value.isBlank()) {
                return Optional.of(key + " is set");
            }
        }
        List<Path> candidates = new ArrayList<>(List.of(
                Path.of("/var/run/docker.sock"),
                Path.of("/run/podman/podman.sock"),
                home.resolve(".testcontainers.properties"),
                home.resolve(".docker/run/docker.sock"),
                home.resolve(".docker/desktop/docker.sock"),
                home.resolve(".colima/default/docker.sock"),
                home.resolve(".rd/docker.sock")));
        String runtimeDir = env.apply("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isBlank()) {
            candidates.add(Path.of(runtimeDir, "docker.sock"));
            candidates.add(Path.of(runtimeDir, "podman/podman.sock"));
        }
        return candidates.stream().filter(Files::exists).findFirst().map(p -> p + " exists");
    }
}
