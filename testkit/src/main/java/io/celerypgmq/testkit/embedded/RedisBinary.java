package io.celerypgmq.testkit.embedded;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * A {@code redis-server} executable: the one on {@code PATH} if there is one (a distribution build, kept up to date),
 * else the build bundled in {@code com.github.codemonstur:embedded-redis}, copied once into the cache directory.
 */
final class RedisBinary {
    private RedisBinary() {}

    static Path find(Platform platform, Path cacheBase) {
        return onPath().orElseGet(() -> bundled(platform, cacheBase));
    }

    static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static String resourceName(Platform platform) {
        return switch (platform.toString()) {
            case "linux/x86_64" -> "redis-server-6.2.6-v5-linux-amd64";
            case "linux/arm64" -> "redis-server-6.2.7-linux-arm64";
            case "darwin/x86_64" -> "redis-server-6.2.6-v5-darwin-amd64";
            case "darwin/arm64" -> "redis-server-6.2.6-v5-darwin-arm64";
            default -> throw new EmbeddedStartException("no embedded Redis for " + platform
                    + ": install redis-server on PATH or point the tool at a running Redis");
        };
    }

    static Path bundled(Platform platform, Path cacheBase) {
        String resource = resourceName(platform);
        if (RedisBinary.class.getClassLoader().getResource(resource) == null) {
            throw new EmbeddedStartException("no redis-server on PATH and " + resource + " is not on the classpath"
                    + " (com.github.codemonstur:embedded-redis); install Redis or add that jar");
        }
        Path dir = CacheDirectory.populated(cacheBase, resource, target -> copy(resource, target.resolve(resource)));
        return dir.resolve(resource);
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " vanished from the classpath");
            }
            Files.copy(in, target);
        }
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
