package io.celerypgmq.bridge.dashboard;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's real Chromium, headless, for page tests: the DOM after the page's scripts ran, and a screenshot. Missing
 * Chromium fails the test under {@code CI=true} and skips it elsewhere (scripts/test installs it).
 */
final class HeadlessChromium {
    private static final long TIMEOUT_SECONDS = 90;

    private final String binary;

    private HeadlessChromium(String binary) {
        this.binary = binary;
    }

    static HeadlessChromium require() {
        String override = System.getenv("CELERY_PGMQ_CHROMIUM");
        for (String candidate :
                override == null ? List.of("/usr/bin/chromium", "/usr/bin/chromium-browser") : List.of(override)) {
            if (Files.isExecutable(Path.of(candidate))) {
                return new HeadlessChromium(candidate);
            }
        }
        String message = "Chromium is not installed: apt-get install -y chromium (or set CELERY_PGMQ_CHROMIUM)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message + "; CI=true, so this fails instead of skipping");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** The DOM once the page's scripts have run for up to 5 s of virtual time. */
    String dumpDom(String url) {
        return new String(run(List.of("--virtual-time-budget=5000", "--dump-dom", url)), StandardCharsets.UTF_8);
    }

    /** A PNG screenshot of the page after its scripts ran. */
    BufferedImage screenshot(String url, Path file) {
        run(List.of(
                "--virtual-time-budget=5000",
                "--hide-scrollbars",
                "--window-size=1280,1100",
                "--screenshot=" + file.toAbsolutePath(),
                url));
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new IllegalStateException("Chromium wrote no readable PNG to " + file);
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pixels that differ clearly from the page background (the bottom-right corner). */
    static long nonBackgroundPixels(BufferedImage image) {
        int background = image.getRGB(image.getWidth() - 1, image.getHeight() - 1);
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (distance(image.getRGB(x, y), background) > 48) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Pixels of (nearly) exactly this colour, e.g. an element only the page's script draws. */
    static long pixelsOf(BufferedImage image, int rgb) {
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (distance(image.getRGB(x, y), rgb) <= 6) {
                    count++;
                }
            }
        }
        return count;
    }

    private static int distance(int a, int b) {
        return Math.abs(((a >> 16) & 0xff) - ((b >> 16) & 0xff))
                + Math.abs(((a >> 8) & 0xff) - ((b >> 8) & 0xff))
                + Math.abs((a & 0xff) - (b & 0xff));
    }

    private byte[] run(List<String> args) {
        Path profile = null;
        try {
            profile = Files.createTempDirectory("chromium-profile-");
            List<String> command = new ArrayList<>(List.of(
                    binary,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--user-data-dir=" + profile));
            command.addAll(args);
            Path log = Files.createTempFile("chromium-", ".log");
            Process process = new ProcessBuilder(command)
                    .redirectError(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Chromium did not finish in " + TIMEOUT_SECONDS + " s: " + tail(log));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Chromium exited with " + process.exitValue() + ": " + tail(log));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Chromium ran", e);
        } finally {
            deleteQuietly(profile);
        }
    }

    private static String tail(Path log) throws IOException {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary profile is harmless.
        }
    }
}
