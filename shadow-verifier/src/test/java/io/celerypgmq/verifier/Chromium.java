package io.celerypgmq.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless Chromium, run as the report's reader would open the file. Missing: the test fails under
 * {@code CI=true} (scripts/test installs it) and is skipped elsewhere, saying how to install it.
 */
final class Chromium {
    private static final long TIMEOUT_SECONDS = 90;
    private final Path binary;
    private final Path profile;

    private Chromium(Path binary, Path profile) {
        this.binary = binary;
        this.profile = profile;
    }

    static Chromium require(Path workDir) throws IOException {
        Path found = null;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (found == null && Files.isExecutable(p)) {
                    found = p;
                }
            }
        }
        String message = "headless Chromium is not installed; install it with: apt-get install -y chromium";
        if (found == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true, so this fails instead of skipping)");
            }
            Assumptions.abort(message);
        }
        return new Chromium(found, Files.createDirectories(workDir.resolve("chromium-profile")));
    }

    void screenshot(Path html, Path png) throws IOException, InterruptedException {
        run(
                List.of(
                        "--screenshot=" + png,
                        "--window-size=1280,2000",
                        html.toUri().toString()),
                null);
        assertThat(png).as("screenshot written").exists();
    }

    String dumpDom(Path html) throws IOException, InterruptedException {
        Path out = Files.createTempFile(profile.getParent(), "dom-", ".html");
        run(List.of("--dump-dom", html.toUri().toString()), out);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private void run(List<String> args, Path stdout) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                binary.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile));
        cmd.addAll(args);
        Path log = Files.createTempFile(profile.getParent(), "chromium-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        pb.redirectOutput(stdout == null ? log.toFile() : stdout.toFile());
        if (stdout == null) {
            pb.redirectErrorStream(true);
        }
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + Files.readString(log));
        }
        assertThat(p.exitValue())
                .as("chromium exit code; log: %s", Files.readString(log))
                .isZero();
    }
}
