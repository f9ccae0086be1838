package io.celerypgmq.testkit.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who a server process runs as. PostgreSQL refuses to run as root, so as root it runs as the {@code postgres} (or
 * else {@code nobody}) account through {@code setpriv}, which execs in place so the server stays our child process.
 */
record RunAs(String user, int uid, int gid) {
    private static final Path PASSWD = Path.of("/etc/passwd");

    static boolean isRoot() {
        try {
            Path probe = Files.createTempFile("celery-pgmq-uid-", ".probe");
            try {
                return ((Integer) Files.getAttribute(probe, "unix:uid")) == 0;
            } finally {
                Files.delete(probe);
            }
        } catch (IOException | UnsupportedOperationException e) {
            return false; // no unix attributes: not a system where root matters
        }
    }

    /** The account to drop to when running as root; empty when not root. */
    static Optional<RunAs> forServers() {
        if (!isRoot()) {
            return Optional.empty();
        }
        for (String candidate : List.of("postgres", "nobody")) {
            Optional<RunAs> found = lookup(candidate);
            if (found.isPresent()) {
                return found;
            }
        }
        throw new EmbeddedStartException("running as root, and PostgreSQL refuses to; found neither a 'postgres' nor a"
                + " 'nobody' account in " + PASSWD + " to run it as");
    }

    static Optional<RunAs> lookup(String user) {
        try {
            for (String line : Files.readAllLines(PASSWD)) {
                String[] fields = line.split(":");
                if (fields.length >= 4 && fields[0].equals(user)) {
                    return Optional.of(new RunAs(user, Integer.parseInt(fields[2]), Integer.parseInt(fields[3])));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PASSWD, e);
        }
    }

    /** {@code command} prefixed so that it runs as this account. */
    List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setpriv")) || Files.isExecutable(Path.of("/bin/setpriv"))) {
            wrapped.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--"));
        } else {
            wrapped.addAll(List.of("runuser", "-u", user, "--"));
        }
        wrapped.addAll(command);
        return wrapped;
    }

    /** Gives {@code path} to this account. */
    void own(Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", uid);
        Files.setAttribute(path, "unix:gid", gid);
    }
}
