package io.celerypgmq.testkit;

import io.celerypgmq.config.DatabaseUrl;
import io.celerypgmq.testkit.embedded.EmbeddedPostgres;
import io.celerypgmq.testkit.embedded.Ports;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The ways tests can get a Postgres server, one probe per {@link BackendKind}. */
final class PostgresProbes {
    static final String URL_KEY = "CELERY_PGMQ_TEST_PG_URL";
    static final String HINT = "Set " + URL_KEY + "=postgresql://postgres@host:5432/postgres (a login that may"
            + " CREATE DATABASE), run Postgres on 127.0.0.1:5432 with trust auth for 'postgres', or run where Docker"
            + " is available.";
    private static final String LOCAL_HOST = "127.0.0.1";
    private static final int LOCAL_PORT = 5432;

    private PostgresProbes() {}

    static Map<BackendKind, BackendProbe<PostgresServer>> all(UnaryOperator<String> settings) {
        Map<BackendKind, BackendProbe<PostgresServer>> probes = new EnumMap<>(BackendKind.class);
        probes.put(BackendKind.ENV, () -> fromEnvironment(settings));
        probes.put(BackendKind.TESTCONTAINERS, ContainerBackends::postgres);
        probes.put(BackendKind.LOCAL, PostgresProbes::local);
        probes.put(BackendKind.EMBEDDED, PostgresProbes::embedded);
        return probes;
    }

    private static PostgresServer fromEnvironment(UnaryOperator<String> settings) throws Exception {
        String text = settings.apply(URL_KEY);
        if (text == null || text.isBlank()) {
            throw new BackendProbe.Unavailable(URL_KEY + " is not set");
        }
        DatabaseUrl url = DatabaseUrl.parse(text);
        Jdbc.checkConnects(url);
        return new PostgresServer(url, "env " + URL_KEY);
    }

    private static PostgresServer local() throws Exception {
        if (!Ports.isListening(LOCAL_HOST, LOCAL_PORT, 500)) {
            throw new BackendProbe.Unavailable("nothing listening on " + LOCAL_HOST + ":" + LOCAL_PORT);
        }
        DatabaseUrl url = DatabaseUrl.parse("postgresql://postgres@" + LOCAL_HOST + ":" + LOCAL_PORT + "/postgres");
        Jdbc.checkConnects(url);
        return new PostgresServer(url, "local " + LOCAL_HOST + ":" + LOCAL_PORT);
    }

    private static PostgresServer embedded() {
        EmbeddedPostgres server = EmbeddedPostgres.start();
        return new PostgresServer(server.url(), "embedded postgres " + server.version());
    }
}
