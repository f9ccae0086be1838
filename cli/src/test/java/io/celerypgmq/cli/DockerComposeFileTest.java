package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.dashboard.DashboardSettings;
import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.bridge.pump.ForwardSource;
import io.celerypgmq.bridge.pump.PayloadTemplates;
import io.celerypgmq.bridge.pump.ReverseSource;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.ConnectionSettings;
import io.celerypgmq.verifier.VerifierSettings;
import io.celerypgmq.verifier.reconcile.DlqConvention;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * There is no Docker engine to run {@code docker-compose.celery-pgmq.yml} here, so this reads it the way Compose
 * would and checks what would otherwise only fail on a user's machine: services and images, build contexts and the
 * files the Dockerfiles copy, mounted files, the bridge's config loaded by the project's own classes, ports,
 * healthchecks and start order, passwords kept out of files, and the Python samples compiling.
 */
class DockerComposeFileTest {
    private static final Path ROOT = ComposeFile.repositoryRoot();
    private static final ComposeFile COMPOSE = ComposeFile.read(ROOT.resolve("docker-compose.celery-pgmq.yml"));

    @Test
    void theStackHasEveryPartOfTheJourney() {
        assertThat(COMPOSE.serviceNames())
                .contains(
                        "redis",
                        "postgres",
                        "pgmq-install",
                        "bridge",
                        "verifier",
                        "celery-worker",
                        "celery-producer",
                        "pgmq-worker");
        assertThat(COMPOSE.command("bridge")).startsWith("bridge", "--config", "/config/celery-pgmq.yml");
        assertThat(COMPOSE.command("verifier")).startsWith("verify", "watch");
        assertThat(COMPOSE.command("pgmq-install")).containsExactly("pgmq", "install");
    }

    @Test
    void storesRunThePublishedImagesAndTheToolIsBuiltFromThisRepository() throws IOException {
        assertThat(COMPOSE.service("redis").path("image").asText()).isEqualTo("redis:7");
        assertThat(COMPOSE.service("postgres").path("image").asText()).isEqualTo("ghcr.io/pgmq/pg17-pgmq:v1.13.0");
        for (String tool : List.of("pgmq-install", "bridge", "verifier", "celery-pgmq", "bridge-rollback")) {
            assertThat(COMPOSE.buildContext(tool)).as(tool).isEqualTo(ROOT);
        }
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile)
                .containsPattern("(?m)^FROM eclipse-temurin:17 AS build$")
                .containsPattern("(?m)^FROM eclipse-temurin:17-jre$")
                .contains("./mvnw -B -DskipTests")
                .contains("package -pl cli -am")
                .contains("/src/cli/target/celery-pgmq.jar");
        for (String python : List.of("celery-worker", "celery-producer", "pgmq-worker")) {
            Path context = COMPOSE.buildContext(python);
            assertThat(Files.readString(context.resolve(COMPOSE.dockerfile(python))))
                    .as(python)
                    .containsPattern("(?m)^FROM python:3.12-slim$");
        }
    }

    @Test
    void everyBuildContextDockerfileAndCopiedFileExists() throws IOException {
        for (String name : COMPOSE.serviceNames()) {
            if (COMPOSE.service(name).path("build").isMissingNode()) {
                continue;
            }
            Path context = COMPOSE.buildContext(name);
            Path dockerfile = context.resolve(COMPOSE.dockerfile(name));
            assertThat(context).as("build context of %s", name).isDirectory();
            assertThat(dockerfile).as("Dockerfile of %s", name).isRegularFile();
            for (String source : copySources(dockerfile)) {
                assertThat(context.resolve(source))
                        .as("%s copies %s", dockerfile, source)
                        .exists();
            }
        }
    }

    @Test
    void everyMountedFileIsInTheRepository() {
        List<String> mounts = new ArrayList<>();
        for (String name : COMPOSE.serviceNames()) {
            for (ComposeFile.Mount mount : COMPOSE.bindMounts(name)) {
                assertThat(ROOT.resolve(mount.source()))
                        .as("%s mounts %s", name, mount.source())
                        .isRegularFile();
                mounts.add(mount.source());
            }
        }
        assertThat(mounts).contains("./examples/compose/celery-pgmq.yml", "./examples/compose/rollback.yml");
    }

    @Test
    void everyMountedConfigLoadsAsTheBridgeLoadsIt() {
        int loaded = 0;
        for (String name : COMPOSE.serviceNames()) {
            List<String> command = COMPOSE.command(name);
            int at = command.indexOf("--config");
            if (at < 0) {
                continue;
            }
            Path file = COMPOSE.mountedFile(name, command.get(at + 1));
            ConfigSource source = ConfigSource.load(file, COMPOSE.environment(name), Map.of());
            BridgeSettings settings = BridgeSettings.from(source);
            PayloadTemplates.from(source);
            VerifierSettings.from(source);
            DashboardSettings.from(
                    source,
                    new PriorityKeys(
                            settings.prioritySteps(), settings.prioritySeparator(), settings.globalKeyPrefix()));
            ConnectionSettings connections = ConnectionSettings.from(source);
            assertThat(connections.redis().host()).as(name).isEqualTo("redis");
            assertThat(connections.database().jdbcUrl()).as(name).contains("//postgres:5432/app");
            assertThat(connections.database().password()).as(name).isEqualTo(ComposeFile.TEST_PASSWORD);
            loaded++;
        }
        assertThat(loaded).as("services started with --config").isGreaterThanOrEqualTo(3);
    }

    @Test
    void theBridgeFeedsTheQueueTheCeleryWorkerConsumesAndTakesWhatTheProducerPublishes() {
        BridgeSettings forward = COMPOSE.bridgeSettings("bridge");
        List<String> worker = COMPOSE.command("celery-worker");
        String consumed = worker.get(worker.indexOf("-Q") + 1);

        assertThat(forward.forward()).extracting(ForwardSource::source).containsExactly("celery");
        assertThat(forward.forward()).extracting(ForwardSource::celeryTarget).containsExactly(consumed);
        BridgeSettings rollback = COMPOSE.bridgeSettings("bridge-rollback");
        assertThat(rollback.reverse()).extracting(ReverseSource::pgmqQueue).containsExactly("user_tasks");
        assertThat(rollback.reverse()).extracting(ReverseSource::celeryQueue).containsExactly(consumed);
        assertThat(COMPOSE.environment("pgmq-worker").get("PGMQ_QUEUES").split(","))
                .contains("user_tasks", "user_tasks_shadow");
    }

    @Test
    void publishedPortsAreDistinctLocalAndReachTheServicesListeningPort() {
        Set<Integer> hostPorts = new HashSet<>();
        for (String name : COMPOSE.serviceNames()) {
            for (ComposeFile.Port port : COMPOSE.ports(name)) {
                assertThat(port.hostIp())
                        .as("%s publishes on loopback only", name)
                        .isEqualTo("127.0.0.1");
                assertThat(hostPorts.add(port.host()))
                        .as("host port %d published twice", port.host())
                        .isTrue();
            }
        }
        assertThat(COMPOSE.ports("redis"))
                .extracting(ComposeFile.Port::container)
                .containsExactly(6379);
        assertThat(COMPOSE.ports("postgres"))
                .extracting(ComposeFile.Port::container)
                .containsExactly(5432);
        assertThat(COMPOSE.ports("bridge"))
                .extracting(ComposeFile.Port::container)
                .containsExactly(COMPOSE.bridgeSettings("bridge").httpPort());
        assertThat(COMPOSE.command("bridge")).containsSequence("--http-host", "0.0.0.0");
    }

    @Test
    void startOrderWaitsOnlyForWhatCanReportItself() {
        for (String name : COMPOSE.serviceNames()) {
            COMPOSE.dependsOn(name).forEach((target, condition) -> {
                assertThat(COMPOSE.serviceNames())
                        .as("%s depends on %s", name, target)
                        .contains(target);
                assertThat(COMPOSE.profiles(target))
                        .as("%s depends on %s, which only runs in a profile", name, target)
                        .isSubsetOf(COMPOSE.profiles(name));
                switch (condition) {
                    case "service_healthy" -> assertThat(COMPOSE.service(target).has("healthcheck"))
                            .as("%s waits for %s to be healthy, which has no healthcheck", name, target)
                            .isTrue();
                    case "service_completed_successfully" -> assertThat(
                                    COMPOSE.service(target).path("restart").asText())
                            .as("%s waits for %s to finish, so it must not restart", name, target)
                            .isEqualTo("no");
                    case "service_started" -> {}
                    default -> fail("%s: unknown depends_on condition %s", name, condition);
                }
            });
        }
        assertThat(COMPOSE.service("postgres").path("healthcheck").path("test").toString())
                .contains("pg_isready");
        assertThat(COMPOSE.service("bridge").path("healthcheck").path("test").toString())
                .contains("/ready", "9808");
        assertThat(COMPOSE.dependsOn("bridge")).containsEntry("pgmq-install", "service_completed_successfully");
        assertThat(COMPOSE.dependencyCycle()).as("depends_on cycle").isEmpty();
    }

    @Test
    void passwordsComeFromTheEnvironmentNotFromFilesOrImages() throws IOException {
        assertThat(COMPOSE.service("postgres")
                        .path("environment")
                        .path("POSTGRES_PASSWORD")
                        .asText())
                .startsWith("${POSTGRES_PASSWORD");
        for (String name : COMPOSE.serviceNames()) {
            COMPOSE.rawEnvironment(name).forEach((key, value) -> {
                if (value.contains("postgresql://")) {
                    assertThat(value).as("%s %s", name, key).contains(":${POSTGRES_PASSWORD");
                }
            });
        }
        for (Path file : List.of(
                ROOT.resolve("Dockerfile"),
                ROOT.resolve("examples/celery_app/Dockerfile"),
                ROOT.resolve("examples/pgmq_worker/Dockerfile"),
                ROOT.resolve("examples/compose/celery-pgmq.yml"),
                ROOT.resolve("examples/compose/rollback.yml"))) {
            assertThat(Files.readString(file)).as(file.toString()).doesNotContainPattern("://[^/@\\s]*:[^/@\\s]+@");
        }
    }

    @Test
    void thePgmqWorkerDeadLettersTheWayTheVerifierLooksForIt() throws IOException {
        String worker = Files.readString(ROOT.resolve("examples/pgmq_worker/worker.py"));
        DlqConvention dlq = DlqConvention.defaults();

        assertThat(worker)
                .contains("DLQ_SUFFIX = \"" + dlq.suffix() + "\"")
                .contains("IDENTITY_HEADER = \"" + dlq.identityKey() + "\"")
                .contains("\"" + dlq.sourceQueueKey() + "\": queue")
                .contains("\"" + dlq.sourceMsgIdKey() + "\": str(message[\"msg_id\"])")
                .contains("\"" + dlq.errorKey() + "\": error")
                .contains("pgmq.archive(");
    }

    @Test
    void theCommandsInTheHeaderAreValidCommandLines() throws IOException {
        List<String> commands = new ArrayList<>();
        for (String line : Files.readAllLines(ROOT.resolve("docker-compose.celery-pgmq.yml"))) {
            String text = line.replaceFirst("^#\\s*", "");
            if (line.startsWith("#") && text.startsWith("cpgmq ")) {
                commands.add(text.replace("$C", "-c /config/celery-pgmq.yml"));
            }
        }

        assertThat(commands).hasSizeGreaterThanOrEqualTo(10);
        commands.forEach(HelpExamplesTest::assertParses);
        assertThat(commands).allSatisfy(c -> assertThat(HelpExamplesTest.words(c))
                .containsSequence("-c", "/config/celery-pgmq.yml"));
        assertThat(COMPOSE.mountedFile("celery-pgmq", "/config/celery-pgmq.yml"))
                .isRegularFile();
    }

    @Test
    void thePythonSamplesCompile(@TempDir Path cache) throws IOException, InterruptedException {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("/usr/bin/python3 is missing; CI must have Debian's python3 to check the Python samples");
            }
            Assumptions.abort("/usr/bin/python3 is not installed");
        }
        List<Path> sources;
        try (Stream<Path> files = Files.walk(ROOT.resolve("examples"))) {
            sources = files.filter(f -> f.toString().endsWith(".py")).sorted().toList();
        }
        assertThat(sources)
                .extracting(f -> f.getFileName().toString())
                .contains("tasks.py", "producer.py", "worker.py");
        for (Path source : sources) {
            ProcessBuilder compile = new ProcessBuilder(python.toString(), "-m", "py_compile", source.toString())
                    .redirectErrorStream(true);
            compile.environment().put("PYTHONPYCACHEPREFIX", cache.toString()); // keeps __pycache__ out of the tree
            Process process = compile.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("%s: %s", source, output).isZero();
        }
    }

    /** The sources of the COPY instructions of a Dockerfile that copy from the build context. */
    private static List<String> copySources(Path dockerfile) throws IOException {
        List<String> sources = new ArrayList<>();
        for (String line : Files.readAllLines(dockerfile)) {
            String[] words = line.trim().split("\\s+");
            if (words.length < 3 || !words[0].equalsIgnoreCase("COPY") || words[1].startsWith("--from")) {
                continue;
            }
            sources.addAll(List.of(words).subList(1, words.length - 1));
        }
        assertThat(sources).as("COPY sources of %s", dockerfile).isNotEmpty();
        return sources;
    }

    /** docker-compose.celery-pgmq.yml as Compose reads it: services, interpolation of ${VAR:-default}, mounts. */
    static final class ComposeFile {
        static final String TEST_PASSWORD = "compose-test-password";
        private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

        private final JsonNode services;

        private ComposeFile(JsonNode root) {
            this.services = root.path("services");
            assertThat(services.isObject()).as("services mapping").isTrue();
        }

        record Mount(String source, String target) {}

        record Port(String hostIp, int host, int container) {}

        static Path repositoryRoot() {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("cli"))) {
                    return dir;
                }
            }
            throw new IllegalStateException(
                    "no repository root above " + Path.of("").toAbsolutePath());
        }

        static ComposeFile read(Path file) {
            try {
                return new ComposeFile(ConfigSource.yaml().readTree(file.toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }

        List<String> serviceNames() {
            List<String> names = new ArrayList<>();
            services.fieldNames().forEachRemaining(names::add);
            return names;
        }

        JsonNode service(String name) {
            JsonNode service = services.path(name);
            assertThat(service.isObject()).as("service %s", name).isTrue();
            return service;
        }

        List<String> command(String name) {
            JsonNode command = service(name).path("command");
            if (command.isTextual()) {
                return List.of(command.asText().trim().split("\\s+"));
            }
            List<String> words = new ArrayList<>();
            command.forEach(word -> words.add(word.asText()));
            return words;
        }

        Map<String, String> rawEnvironment(String name) {
            Map<String, String> env = new LinkedHashMap<>();
            JsonNode node = service(name).path("environment");
            if (node.isArray()) {
                node.forEach(entry -> {
                    String[] kv = entry.asText().split("=", 2);
                    env.put(kv[0], kv.length > 1 ? kv[1] : "");
                });
            } else {
                node.fields()
                        .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            }
            return env;
        }

        /** The service's environment after Compose's interpolation, with a stand-in for the password. */
        Map<String, String> environment(String name) {
            Map<String, String> env = new LinkedHashMap<>();
            rawEnvironment(name).forEach((k, v) -> env.put(k, interpolate(v)));
            return env;
        }

        static String interpolate(String text) {
            Matcher m = VARIABLE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value;
                if ("POSTGRES_PASSWORD".equals(m.group(1))) {
                    value = TEST_PASSWORD;
                } else if (m.group(2) != null && m.group(2).endsWith("-")) {
                    value = m.group(3);
                } else {
                    throw new AssertionError("${" + m.group(1) + "} has no default: '" + text + "'");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            return out.toString();
        }

        Path buildContext(String name) {
            JsonNode build = service(name).path("build");
            String context =
                    build.isTextual() ? build.asText() : build.path("context").asText(".");
            return ROOT.resolve(context).normalize();
        }

        String dockerfile(String name) {
            return service(name).path("build").path("dockerfile").asText("Dockerfile");
        }

        List<Mount> bindMounts(String name) {
            List<Mount> mounts = new ArrayList<>();
            service(name).path("volumes").forEach(v -> {
                String[] parts = v.isTextual()
                        ? v.asText().split(":")
                        : new String[] {
                            v.path("source").asText(), v.path("target").asText()
                        };
                if (parts[0].startsWith(".") || parts[0].startsWith("/")) {
                    mounts.add(new Mount(parts[0], parts[1]));
                }
            });
            return mounts;
        }

        Path mountedFile(String name, String target) {
            return bindMounts(name).stream()
                    .filter(m -> m.target().equals(target))
                    .map(m -> ROOT.resolve(m.source()).normalize())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(name + " reads " + target + ", which nothing mounts"));
        }

        BridgeSettings bridgeSettings(String name) {
            List<String> command = command(name);
            Path file = mountedFile(name, command.get(command.indexOf("--config") + 1));
            return BridgeSettings.from(ConfigSource.load(file, environment(name), Map.of()));
        }

        List<Port> ports(String name) {
            List<Port> ports = new ArrayList<>();
            service(name).path("ports").forEach(p -> {
                String[] parts = interpolate(p.asText()).split(":");
                assertThat(parts)
                        .as("%s port %s: ip:host:container", name, p.asText())
                        .hasSize(3);
                ports.add(new Port(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
            });
            return ports;
        }

        /** Each service this one waits for, with the condition (list form means service_started). */
        Map<String, String> dependsOn(String name) {
            Map<String, String> out = new LinkedHashMap<>();
            JsonNode node = service(name).path("depends_on");
            if (node.isArray()) {
                node.forEach(t -> out.put(t.asText(), "service_started"));
            } else {
                node.fields()
                        .forEachRemaining(e -> out.put(
                                e.getKey(), e.getValue().path("condition").asText("service_started")));
            }
            return out;
        }

        Set<String> profiles(String name) {
            Set<String> out = new HashSet<>();
            service(name).path("profiles").forEach(p -> out.add(p.asText()));
            return out;
        }

        /** A service that (transitively) waits for itself, if any. */
        Optional<String> dependencyCycle() {
            for (String start : serviceNames()) {
                Deque<String> todo = new ArrayDeque<>(dependsOn(start).keySet());
                Set<String> seen = new HashSet<>();
                while (!todo.isEmpty()) {
                    String next = todo.pop();
                    if (next.equals(start)) {
                        return Optional.of(start);
                    }
                    if (seen.add(next) && services.has(next)) {
                        todo.addAll(dependsOn(next).keySet());
                    }
                }
            }
            return Optional.empty();
        }
    }
}
