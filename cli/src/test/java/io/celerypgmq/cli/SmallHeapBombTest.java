package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.EncodeTarget;
import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteStore;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * DESIGN invariant 10 under a small heap: a real bridge process with {@code -Xmx256m} meets a few kilobytes of bzip2
 * that inflate to 2 GiB. Decompression stops at the cap the heap allows, the message is quarantined as
 * {@code TOO_LARGE}, the messages around it move, and the bridge stays up and ready.
 */
@RealBackends
class SmallHeapBombTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CeleryCodec CODEC = CeleryCodec.withDefaults();

    @TempDir
    Path dir;

    /** A body that inflates to {@code streams} × 16 MiB of zeros: concatenated bzip2 streams, as kombu reads them. */
    static byte[] bomb(int streams) throws IOException {
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        try (BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(one, 9)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 16; i++) {
                bz.write(zeros);
            }
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < streams; i++) {
            all.write(one.toByteArray());
        }
        return all.toByteArray();
    }

    private static byte[] message(String task, String arg) {
        String id = UUID.randomUUID().toString();
        return CODEC.encode(
                CeleryMessage.builder()
                        .protocol(2)
                        .task(task)
                        .id(id)
                        .args(JSON.createArrayNode().add(arg))
                        .build(),
                EncodeTarget.of("celery"));
    }

    @Test
    void aCompressionBombUnderASmallHeapIsQuarantinedAndTheBridgeStaysUpAndReady(TestPostgres pg, TestRedis redis)
            throws Exception {
        PgmqInstaller.ensure(pg.dataSource());
        BridgeSchema.install(pg.dataSource());
        new PgmqClient(pg.dataSource()).create(QueueName.of("bombed"));
        new RouteStore(pg.dataSource())
                .set(new Route("send_welcome_email", RouteMode.SHADOW, 100, "bombed", PayloadFormat.TASK), "t", null);
        new RouteStore(pg.dataSource())
                .set(new Route("send_welcome_email", RouteMode.PGMQ, 100, "bombed", PayloadFormat.TASK), "t", null);
        byte[] payload = bomb(128); // 2 GiB once inflated
        assertThat(payload.length).isLessThan(16 * 1024);
        ObjectNode envelope = (ObjectNode) JSON.readTree(message("send_welcome_email", "boom"));
        envelope.put("body", Base64.getEncoder().encodeToString(payload));
        ((ObjectNode) envelope.get("headers")).put("compression", "application/x-bz2");
        byte[] bombMessage = JSON.writeValueAsBytes(envelope);

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = Files.writeString(
                dir.resolve("bridge.yml"),
                "redis:\n  url: redis://" + redis.host() + ":" + redis.port() + "/" + redis.database() + "\n"
                        + "database:\n  url: " + pg.url().jdbcUrl() + "?user="
                        + (pg.url().user() == null ? "postgres" : pg.url().user()) + "\n  pool-size: 3\n"
                        + "bridge:\n  instance-id: small-heap\n  batch-size: 100\n  http-port: " + port + "\n"
                        + "  forward:\n    - source: celery\n      celery-target: celery_workers\n");
        Path log = dir.resolve("bridge.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process bridge = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CeleryPgmq.class.getName(),
                        "bridge",
                        "--config",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try (Jedis jedis = new Jedis(redis.host(), redis.port(), 10_000)) {
            jedis.select(redis.database());
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.readString(log).contains("[bridge] instance small-heap started"));
            jedis.lpush(
                    "celery".getBytes(StandardCharsets.UTF_8),
                    message("send_welcome_email", "before"),
                    bombMessage,
                    message("send_welcome_email", "after"));

            await().atMost(Duration.ofSeconds(90)).until(() -> count(pg, "pgmq.q_bombed") == 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> count(pg, "celery_pgmq.quarantine") == 1);
            assertThat(reason(pg)).isEqualTo("TOO_LARGE");
            assertThat(bridge.isAlive()).as("the bridge survived the bomb").isTrue();
            HttpResponse<String> ready = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);

            jedis.lpush("celery".getBytes(StandardCharsets.UTF_8), message("send_welcome_email", "later"));
            await().atMost(Duration.ofSeconds(30)).until(() -> count(pg, "pgmq.q_bombed") == 3);
        } finally {
            bridge.destroy();
            if (!bridge.waitFor(30, TimeUnit.SECONDS)) {
                bridge.destroyForcibly().waitFor(); // never leave a bridge pumping after its test
            }
        }
        assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
    }

    private static long count(TestPostgres pg, String table) throws Exception {
        try (Connection c = pg.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String reason(TestPostgres pg) throws Exception {
        try (Connection c = pg.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT reason FROM celery_pgmq.quarantine")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
