package io.celerypgmq.testkit.celery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds a Python interpreter that can import everything the driver's scripts need. */
final class PythonProbe {
    static final List<String> DEFAULT_CANDIDATES = List.of("/usr/bin/python3", "python3");
    private static final String CHECK = "import celery, kombu, redis, msgpack, yaml; print(celery.__version__)";

    /** {@code executable} and {@code celeryVersion} when found; otherwise {@code problem} says what was tried. */
    record Result(String executable, String celeryVersion, String problem) {
        boolean found() {
            return executable != null;
        }
    }

    private PythonProbe() {}

    static Result find(String override) {
        List<String> candidates = override == null || override.isBlank() ? DEFAULT_CANDIDATES : List.of(override);
        List<String> tried = new ArrayList<>();
        for (String candidate : candidates) {
            try {
                Process process = new ProcessBuilder(candidate, "-c", CHECK)
                        .redirectErrorStream(true)
                        .start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    tried.add(candidate + ": did not answer in 30 s");
                } else if (process.exitValue() == 0) {
                    return new Result(candidate, output, null);
                } else {
                    tried.add(candidate + ": " + lastLine(output));
                }
            } catch (IOException e) {
                tried.add(candidate + ": cannot run (" + e.getMessage() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                tried.add(candidate + ": interrupted");
                break;
            }
        }
        return new Result(null, null, String.join("; ", tried));
    }

    private static String lastLine(String output) {
        String[] lines = output.split("\n");
        return lines.length == 0 ? "failed" : lines[lines.length - 1];
    }
}
