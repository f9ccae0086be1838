package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real bridge's dashboard shows the verdict its own refresher computes for /metrics, with no table behind it. */
@RealBackends
class BridgeDashboardVerdictTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern GO = Pattern.compile("(?m)^celery_pgmq_verify_go(?:\\{[^}]*})? (\\S+)$");

    @TempDir
    Path dir;

    @Test
    void theDashboardShowsTheVerdictTheBridgeComputed(TestPostgres pg, TestRedis redis) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String database = pg.url().jdbcUrl() + "?user="
                + (pg.url().user() == null ? "postgres" : pg.url().user());
        Path config = Files.writeString(
                dir.resolve("bridge.yml"),
                "redis:\n  url: '" + redis.url() + "'\ndatabase:\n  url: '" + database + "'\nbridge:\n  http-port: "
                        + port + "\n");
        Path log = dir.resolve("bridge.log");
        Process bridge = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CeleryPgmq.class.getName(),
                        "bridge",
                        "--config",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            JsonNode verdict = await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .until(() -> state(port).get("verdict"), v -> v != null && !v.isNull());

            String metrics = get(port, "/metrics");
            Matcher go = GO.matcher(metrics);
            assertThat(go.find()).as(metrics).isTrue();
            assertThat(verdict.get("verdict").asText()).isIn("GO", "INCOMPLETE", "NO-GO");
            assertThat(Double.parseDouble(go.group(1)))
                    .as("/metrics and the dashboard agree")
                    .isEqualTo(verdict.get("verdict").asText().equals("NO-GO") ? 0.0 : 1.0);
            assertThat(verdict.get("summary").asText()).startsWith("trailing 24 h: ");
            assertThat(state(port).has("verdict_error")).isFalse();
            try (Connection c = pg.dataSource().getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT to_regclass('celery_pgmq.verdicts') IS NULL")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("no verdict table is involved").isTrue();
            }
        } finally {
            bridge.destroy();
            bridge.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static JsonNode state(int port) throws Exception {
        return new ObjectMapper().readTree(get(port, "/api/state"));
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
