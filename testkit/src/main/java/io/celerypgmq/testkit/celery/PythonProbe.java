package io.celerypgmq.testkit.celery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds a Python interpreter that can import everything the driver's scripts need. */
final class PythonProbe {
    static final List<String> DEFAULT_CANDIDATES = List.of("/usr/bin/python3", "python3");
    static final String CHECK = "import celery, kombu, redis, msgpack, yaml; print(celery.__version__)";
    /** Celery 5.6 for the Redis side: what users run today. */
    static final String CELERY56_CHECK = "import celery, kombu, redis, msgpack, yaml;"
            + " assert celery.__version__.startswith('5.6'), 'this is Celery ' + celery.__version__ + ', not 5.6';"
            + " print(celery.__version__)";
    /**
     * kombu with its pgmq transport and the pgmq client (kombu 5.7): the transport module imports without the client
     * but then has no {@code PGMQueue}.
     */
    static final String KOMBU57_CHECK = "import celery, kombu, redis, psycopg, pgmq; import kombu.transport.pgmq as t;"
            + " assert t.PGMQueue is not None, 'kombu.transport.pgmq cannot import the pgmq client';"
            + " print('celery ' + celery.__version__ + ', kombu ' + kombu.__version__ + ' with kombu.transport.pgmq')";

    /** {@code executable} and {@code celeryVersion} when found; otherwise {@code problem} says what was tried. */
    record Result(String executable, String celeryVersion, String problem) {
        boolean found() {
            return executable != null;
        }
    }

    private PythonProbe() {}

    static Result find(String override) {
        return find(override == null || override.isBlank() ? DEFAULT_CANDIDATES : List.of(override), CHECK);
    }

    /** The first of {@code candidates} that runs {@code check} (a Python one-liner that prints a version). */
    static Result find(List<String> candidates, String check) {
        List<String> tried = new ArrayList<>();
        for (String candidate : candidates) {
            try {
                Process process = new ProcessBuilder(candidate, "-c", check)
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
