package io.celerypgmq.testkit.celery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.config.RedisUrl;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** Starting the driver's Python scripts: where they are extracted to and the environment they get. */
final class PythonProcesses {
    private static final String RESOURCES = "/io/celerypgmq/testkit/celery/";
    private static final List<String> SCRIPTS =
            List.of("typed_json.py", "celery_pgmq_testapp.py", "publish.py", "run_worker.py");

    private final String python;
    private final Path scripts;

    PythonProcesses(String python) {
        this.python = python;
        this.scripts = extract();
    }

    /** {@code base} plus the given key/value pairs. */
    static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> out = new java.util.HashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }

    Path scriptsDir() {
        return scripts;
    }

    ProcessBuilder builder(String script, RedisUrl broker, Map<String, String> env) {
        ProcessBuilder builder =
                new ProcessBuilder(python, scripts.resolve(script).toString());
        builder.directory(scripts.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("PYTHONPATH", scripts.toString());
        environment.put("PYTHONDONTWRITEBYTECODE", "1");
        environment.put("PYTHONUNBUFFERED", "1");
        // Celery refuses pickle-accepting workers as root without it; the tests do accept pickle on purpose.
        environment.put("C_FORCE_ROOT", "1");
        // The password travels in the environment, never on the command line (visible in ps).
        environment.put("CPT_REDIS", redisJson(broker));
        environment.putAll(env);
        return builder;
    }

    static Jedis connect(RedisUrl url) {
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .database(url.database())
                .user(url.user())
                .password(url.password())
                .ssl(url.tls())
                .timeoutMillis(10_000)
                .build();
        return new Jedis(new HostAndPort(url.host(), url.port()), config);
    }

    private static String redisJson(RedisUrl url) {
        ObjectNode node = TypedJson.MAPPER.createObjectNode();
        node.put("host", url.host());
        node.put("port", url.port());
        node.put("db", url.database());
        node.put("user", url.user());
        node.put("password", url.password());
        node.put("tls", url.tls());
        return node.toString();
    }

    private static Path extract() {
        try {
            Path dir = Files.createTempDirectory("celery-pgmq-driver");
            dir.toFile().deleteOnExit();
            for (String name : SCRIPTS) {
                try (InputStream in = PythonProcesses.class.getResourceAsStream(RESOURCES + name)) {
                    if (in == null) {
                        throw new IllegalStateException("driver resource missing from the classpath: " + name);
                    }
                    Path target = dir.resolve(name);
                    Files.copy(in, target);
                    target.toFile().deleteOnExit();
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the real-Celery driver scripts", e);
        }
    }
}
