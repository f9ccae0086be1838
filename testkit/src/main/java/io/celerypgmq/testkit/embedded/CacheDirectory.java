package io.celerypgmq.testkit.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Where unpacked binaries are kept between runs: {@code $CELERY_PGMQ_CACHE_DIR}, else
 * {@code $XDG_CACHE_HOME/celery-pgmq}, else {@code ~/.cache/celery-pgmq}. As root the servers run as another
 * account that cannot enter root's home, so root uses {@code /var/tmp/celery-pgmq} (world-readable, root-owned).
 */
final class CacheDirectory {
    static final String OVERRIDE_KEY = "CELERY_PGMQ_CACHE_DIR";
    private static final String COMPLETE_MARKER = ".complete";

    private CacheDirectory() {}

    static Path base(boolean root) {
        String override = System.getenv(OVERRIDE_KEY);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        if (root) {
            return Path.of("/var/tmp/celery-pgmq");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("celery-pgmq");
    }

    /** What fills a fresh directory; it must leave a complete tree behind or throw. */
    @FunctionalInterface
    interface Filler {
        void fill(Path directory) throws IOException;
    }

    /**
     * Returns {@code base/name}, filling it first if no earlier run completed it. A file lock keeps concurrent JVMs
     * from unpacking the same tree twice; the tree is built beside the target and moved into place when complete.
     */
    static Path populated(Path base, String name, Filler filler) {
        Path target = base.resolve(name);
        if (Files.exists(target.resolve(COMPLETE_MARKER))) {
            return target;
        }
        try {
            Files.createDirectories(base);
            try (FileChannel channel = FileChannel.open(
                    base.resolve(name + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.lock();
                try {
                    if (Files.exists(target.resolve(COMPLETE_MARKER))) {
                        return target;
                    }
                    Files.deleteIfExists(target); // only an empty leftover can go; a partial tree is an error
                    Path staging = base.resolve(name + ".tmp-" + UUID.randomUUID());
                    Files.createDirectories(staging);
                    filler.fill(staging);
                    Files.createFile(staging.resolve(COMPLETE_MARKER));
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                    return target;
                } finally {
                    lock.release();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare cache directory " + target, e);
        }
    }
}
