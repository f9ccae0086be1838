package io.celerypgmq.testkit;

import io.celerypgmq.config.RedisUrl;
import io.celerypgmq.testkit.embedded.EmbeddedRedis;
import io.celerypgmq.testkit.embedded.Ports;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The ways tests can get a Redis server, one probe per {@link BackendKind}. */
final class RedisProbes {
    static final String URL_KEY = "CELERY_PGMQ_TEST_REDIS_URL";
    static final String HINT = "Set " + URL_KEY + "=redis://host:6379, run Redis on 127.0.0.1:6379, or run where"
            + " Docker is available.";
    private static final String LOCAL_HOST = "127.0.0.1";
    private static final int LOCAL_PORT = 6379;

    private RedisProbes() {}

    static Map<BackendKind, BackendProbe<RedisServer>> all(UnaryOperator<String> settings) {
        Map<BackendKind, BackendProbe<RedisServer>> probes = new EnumMap<>(BackendKind.class);
        probes.put(BackendKind.ENV, () -> fromEnvironment(settings));
        probes.put(BackendKind.TESTCONTAINERS, ContainerBackends::redis);
        probes.put(BackendKind.LOCAL, RedisProbes::local);
        probes.put(BackendKind.EMBEDDED, RedisProbes::embedded);
        return probes;
    }

    private static RedisServer fromEnvironment(UnaryOperator<String> settings) throws Exception {
        String text = settings.apply(URL_KEY);
        if (text == null || text.isBlank()) {
            throw new BackendProbe.Unavailable(URL_KEY + " is not set");
        }
        RedisUrl url = RedisUrl.parse(text);
        RedisIndexLease.ping(url);
        return new RedisServer(url, "env " + URL_KEY);
    }

    private static RedisServer local() throws Exception {
        if (!Ports.isListening(LOCAL_HOST, LOCAL_PORT, 500)) {
            throw new BackendProbe.Unavailable("nothing listening on " + LOCAL_HOST + ":" + LOCAL_PORT);
        }
        RedisUrl url = new RedisUrl(LOCAL_HOST, LOCAL_PORT, 0, null, null, false);
        RedisIndexLease.ping(url);
        return new RedisServer(url, "local " + LOCAL_HOST + ":" + LOCAL_PORT);
    }

    private static RedisServer embedded() {
        EmbeddedRedis server = EmbeddedRedis.start();
        return new RedisServer(server.url(), "embedded redis " + server.version());
    }
}
