package io.celerypgmq.testkit.celery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.config.RedisUrl;
import io.celerypgmq.config.Secrets;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives real Celery from tests: publishes calls with a real producer and runs a real worker whose tasks record what
 * they received (in Redis, whatever the broker). Three Celerys:
 *
 * <ul>
 *   <li>{@link #require()}: Debian's Celery 5.2.6. The interpreter is {@code CELERY_PGMQ_PYTHON} (system property or
 *       environment) when set, else the first of {@code /usr/bin/python3} and {@code python3} that can import celery,
 *       kombu, redis, msgpack and yaml.
 *   <li>{@link #requireCelery56()}: Celery 5.6, what users run on Redis today, from {@code
 *       CELERY_PGMQ_TEST_CELERY56_PYTHON}, else the venv {@code scripts/test} creates ({@link #CELERY56_DEFAULT}).
 *       Missing, it fails the test.
 *   <li>{@link #requireKombu57()}: kombu with its pgmq transport and the pgmq client (kombu 5.7), from {@code
 *       CELERY_PGMQ_TEST_KOMBU57_PYTHON}. No registry CI can reach ships it, so this one suite is opt-in: unset, the
 *       test is skipped; set to a Python that lacks them, it fails.
 * </ul>
 */
public final class RealCelery {
    static final String PYTHON_KEY = "CELERY_PGMQ_PYTHON";
    public static final String CELERY56_KEY = "CELERY_PGMQ_TEST_CELERY56_PYTHON";
    public static final String KOMBU57_KEY = "CELERY_PGMQ_TEST_KOMBU57_PYTHON";
    /** Where {@code scripts/test} creates the Celery 5.6.3 venv. */
    public static final String CELERY56_DEFAULT =
            System.getProperty("user.home") + "/.cache/celery-pgmq/celery-5.6.3/bin/python";

    private static final Logger log = LoggerFactory.getLogger(RealCelery.class);
    private static final long PUBLISH_TIMEOUT_SECONDS = 120;

    private static PythonProbe.Result probed;
    private static RealCelery instance;
    private static RealCelery celery56;
    private static RealCelery kombu57;

    private final PythonProbe.Result python;
    private final PythonProcesses processes;

    private RealCelery(PythonProbe.Result python) {
        this.python = python;
        this.processes = new PythonProcesses(python.executable());
    }

    /** Whether real Celery can be run here (probed once per JVM). */
    public static synchronized boolean available() {
        return probe().found();
    }

    /**
     * Real Celery, or: under {@code CI=true} a {@link CeleryUnavailableException} (the test fails), otherwise an
     * aborted assumption (the test is skipped), both saying what was tried.
     */
    public static synchronized RealCelery require() {
        PythonProbe.Result result = probe();
        ensureFound(result, "true".equalsIgnoreCase(System.getenv("CI")));
        if (instance == null) {
            instance = new RealCelery(result);
            log.info("real Celery {} via {}", result.celeryVersion(), result.executable());
        }
        return instance;
    }

    static void ensureFound(PythonProbe.Result result, boolean ci) {
        if (result.found()) {
            return;
        }
        String message = "Real Celery is not available: " + result.problem()
                + ". Install it with: apt-get install -y python3-celery python3-redis"
                + " (or point " + PYTHON_KEY + " at a Python that has celery, kombu, redis, msgpack, yaml)";
        if (ci) {
            throw new CeleryUnavailableException(message + "; CI=true, so this fails instead of skipping");
        }
        Assumptions.abort(message);
    }

    /** Celery 5.6 (see the class comment); fails the test when it is missing, saying how to create it. */
    public static synchronized RealCelery requireCelery56() {
        if (celery56 == null) {
            String python = setting(CELERY56_KEY);
            PythonProbe.Result result =
                    PythonProbe.find(List.of(python != null ? python : CELERY56_DEFAULT), PythonProbe.CELERY56_CHECK);
            if (!result.found()) {
                throw new CeleryUnavailableException("Celery 5.6 is not available: " + result.problem()
                        + ". ./scripts/test"
                        + " creates it; by hand: /usr/bin/python3 -m venv --system-site-packages ~/.cache/celery-pgmq/"
                        + "celery-5.6.3 && ~/.cache/celery-pgmq/celery-5.6.3/bin/pip install celery==5.6.3 kombu==5.6.2 && (same pip)"
                        + " install --no-deps redis==8.1.0"
                        + " (or point " + CELERY56_KEY + " at a Python with Celery 5.6, kombu, redis, msgpack, yaml)");
            }
            celery56 = new RealCelery(result);
            log.info("real Celery {} via {}", result.celeryVersion(), result.executable());
        }
        return celery56;
    }

    /**
     * kombu 5.7's pgmq transport with the pgmq client (see the class comment): the test is skipped when {@code
     * CELERY_PGMQ_TEST_KOMBU57_PYTHON} is unset, and fails when it names a Python without them.
     */
    public static synchronized RealCelery requireKombu57() {
        if (kombu57 == null) {
            String python = setting(KOMBU57_KEY);
            Assumptions.assumeTrue(
                    python != null,
                    "the Celery-on-PGMQ suite is opt-in: set " + KOMBU57_KEY + " to a Python with kombu >= 5.7 (its"
                            + " pgmq transport), the pgmq client and Celery");
            PythonProbe.Result result = PythonProbe.find(List.of(python), PythonProbe.KOMBU57_CHECK);
            if (!result.found()) {
                throw new CeleryUnavailableException(
                        KOMBU57_KEY + "=" + python + " cannot run kombu's pgmq transport: " + result.problem());
            }
            kombu57 = new RealCelery(result);
            log.info("real {} via {}", result.celeryVersion(), result.executable());
        }
        return kombu57;
    }

    private static String setting(String key) {
        String value = System.getProperty(key, System.getenv(key));
        return value == null || value.isBlank() ? null : value;
    }

    private static PythonProbe.Result probe() {
        if (probed == null) {
            String override = System.getProperty(PYTHON_KEY, System.getenv(PYTHON_KEY));
            probed = PythonProbe.find(override);
        }
        return probed;
    }

    public String celeryVersion() {
        return python.celeryVersion();
    }

    /** The Python interpreter this Celery runs in, for a test's own scripts. */
    public String executable() {
        return python.executable();
    }

    public Path scriptsDir() {
        return processes.scriptsDir();
    }

    /** Publishes every call with one real Celery producer process; one result per call, in order. */
    public List<PublishedCall> publish(RedisUrl broker, List<CallSpec> calls, PublishOptions options) {
        ObjectNode spec = TypedJson.MAPPER.createObjectNode();
        spec.set("config", options.toConfigJson());
        ArrayNode array = spec.putArray("calls");
        calls.forEach(call -> array.add(call.toJson()));
        try {
            Path stderr = Files.createTempFile(processes.scriptsDir(), "publish-", ".log");
            stderr.toFile().deleteOnExit();
            Process process = processes
                    .builder("publish.py", broker, options.brokerEnv())
                    .redirectError(stderr.toFile())
                    .start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(TypedJson.MAPPER.writeValueAsBytes(spec));
            }
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new CeleryDriverException("the Celery producer did not finish in " + PUBLISH_TIMEOUT_SECONDS
                        + " s; stderr: " + tail(stderr, broker));
            }
            if (process.exitValue() != 0) {
                throw new CeleryDriverException(
                        "the Celery producer exited with " + process.exitValue() + "; stderr: " + tail(stderr, broker));
            }
            return parse(stdout, calls, stderr, broker);
        } catch (IOException e) {
            throw new CeleryDriverException("cannot run the Celery producer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CeleryDriverException("interrupted while publishing", e);
        }
    }

    private List<PublishedCall> parse(String stdout, List<CallSpec> calls, Path stderr, RedisUrl broker)
            throws IOException {
        List<PublishedCall> published = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = TypedJson.MAPPER.readTree(line);
            int index = node.get("index").asInt();
            List<String> ids = new ArrayList<>();
            node.path("published_ids").forEach(id -> ids.add(id.asText()));
            published.add(new PublishedCall(
                    index,
                    calls.get(index),
                    node.path("task_id").isNull() ? null : node.path("task_id").asText(),
                    ids,
                    node.path("group_id").isNull()
                            ? null
                            : node.path("group_id").asText(),
                    epoch(node.get("before")),
                    epoch(node.get("after")),
                    node.path("error").isNull() ? null : node.path("error").asText()));
        }
        if (published.size() != calls.size()) {
            throw new CeleryDriverException("the Celery producer reported " + published.size() + " of " + calls.size()
                    + " calls; stderr: " + tail(stderr, broker));
        }
        return published;
    }

    /** Starts one real worker (solo pool) and waits until it is ready to consume. Close it when done. */
    public CeleryWorker startWorker(RedisUrl broker, WorkerOptions options) {
        String token = UUID.randomUUID().toString().substring(0, 8);
        String recordKey = "celery-pgmq-test:executions:" + token;
        try {
            Path logFile = Files.createTempFile(processes.scriptsDir(), "worker-" + token + "-", ".log");
            logFile.toFile().deleteOnExit(); // the tail is quoted in every failure message
            ProcessBuilder builder = processes
                    .builder(
                            "run_worker.py",
                            broker,
                            PythonProcesses.with(
                                    options.brokerEnv(),
                                    "CPT_CONFIG",
                                    options.toConfigJson().toString(),
                                    "CPT_WORKER",
                                    options.toWorkerJson("cpt-" + token + "@localhost")
                                            .toString(),
                                    "CPT_RECORD_KEY",
                                    recordKey))
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            CeleryWorker worker = new CeleryWorker(builder.start(), broker, recordKey, logFile);
            worker.awaitReady(options.startTimeout());
            return worker;
        } catch (IOException e) {
            throw new CeleryDriverException("cannot start a Celery worker", e);
        }
    }

    private static Instant epoch(JsonNode seconds) {
        return Instant.ofEpochSecond(0, Math.round(seconds.asDouble() * 1_000_000) * 1_000);
    }

    static String tail(Path file, RedisUrl broker) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String tail = text.length() > 4000 ? "..." + text.substring(text.length() - 4000) : text;
            return Secrets.scrub(Secrets.mask(tail), broker.password());
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
