package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
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
import io.celerypgmq.bridge.route.RouteTransitions;
import io.celerypgmq.bridge.store.PostgresPool;
import io.celerypgmq.testkit.embedded.EmbeddedPostgres;
import io.celerypgmq.testkit.embedded.EmbeddedRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The bridge's core promise under failure: a real bridge process, SIGKILLed at random moments while traffic flows
 * (with the welcome email's route changed after every kill, so redos meet routes other than the ones their batches
 * committed under), or running while Redis and Postgres restart, ends with every message exactly where its committed
 * decision sent it: in pgmq once, in its Celery list once, or both for a shadow copy, by identity. Runs on its own
 * embedded stores so restarts touch nothing else.
 */
class BridgeCrashTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CeleryCodec CODEC = CeleryCodec.withDefaults();
    private static final String[] TASKS = {"send_welcome_email", "generate_user_report", "cleanup_inactive_users"};
    private static final int MESSAGES = 20_000;
    private static final int CHUNK = 100;
    /** The welcome email's routes, one after another, each an allowed transition from the one before. */
    private static final List<Route> ROUTE_CYCLE = List.of(
            new Route("send_welcome_email", RouteMode.PGMQ, 100, "user_tasks", PayloadFormat.TASK),
            new Route("send_welcome_email", RouteMode.PGMQ, 10, "user_tasks", PayloadFormat.TASK),
            Route.celery("send_welcome_email"),
            new Route("send_welcome_email", RouteMode.SHADOW, 100, "user_tasks", PayloadFormat.TASK),
            new Route("send_welcome_email", RouteMode.PGMQ, 50, "user_tasks", PayloadFormat.TASK));

    @TempDir
    Path dir;

    private EmbeddedPostgres pg;
    private EmbeddedRedis redis;
    private HikariDataSource db;
    private final Map<String, String> taskOf = new HashMap<>();
    private final List<Process> bridges = new ArrayList<>();
    private final Random random = new Random(20261122L);

    @BeforeEach
    void stores() {
        pg = EmbeddedPostgres.start();
        redis = EmbeddedRedis.startPersistent();
        db = PostgresPool.open(pg.url(), 2, "crash-test");
        PgmqInstaller.ensure(db);
        BridgeSchema.install(db);
        PgmqClient pgmq = new PgmqClient(db);
        pgmq.create(QueueName.of("user_tasks"));
        pgmq.create(QueueName.of("reports_shadow"));
        RouteStore routes = new RouteStore(db);
        routes.set(
                new Route("send_welcome_email", RouteMode.SHADOW, 100, "user_tasks", PayloadFormat.TASK), "test", null);
        routes.set(new Route("send_welcome_email", RouteMode.PGMQ, 50, "user_tasks", PayloadFormat.TASK), "test", null);
        // no Celery worker consumes reports_shadow: the kombu-format copies are only counted
        routes.set(
                new Route("generate_user_report", RouteMode.SHADOW, 100, "reports_shadow", PayloadFormat.KOMBU),
                "test",
                null,
                RouteTransitions.ShadowCopies.NO_CELERY_CONSUMER);
    }

    @AfterEach
    void close() throws InterruptedException {
        for (Process p : bridges) {
            p.destroyForcibly(); // never leave a bridge pumping after its test
            p.waitFor();
        }
        db.close();
        redis.close();
        pg.close();
    }

    @Test
    void twentySigkillsWhileTrafficFlowsLoseAndDoubleNothing() throws Exception {
        Path config = config();
        Thread producer = producer(Duration.ofMillis(110));
        producer.start();
        int killedWhileRunning = 0;
        int killedWithBatchInFlight = 0;
        for (int kill = 0; kill < 20; kill++) {
            Process bridge = startBridge(config, "run-" + kill);
            Path log = logFile("run-" + kill);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.readString(log).contains("[bridge] instance crash-test started"));
            Thread.sleep(random.nextInt(700)); // a random moment of pumping
            bridge.destroyForcibly(); // SIGKILL: no shutdown hook, no finished batch
            bridge.waitFor();
            killedWhileRunning++;
            // the route changes while the killed batch waits for its redo
            new RouteStore(db).set(ROUTE_CYCLE.get(kill % ROUTE_CYCLE.size()), "test", "between kill and redo");
            try (Jedis jedis = new Jedis(redis.url().host(), redis.url().port(), 2_000)) {
                if (jedis.llen("celery-pgmq:inflight:crash-test:forward") > 0) {
                    killedWithBatchInFlight++;
                }
            }
        }
        producer.join();
        finishAndVerify(config);
        // The kills must have hit a working bridge, and some of them mid-batch, for this test to prove anything.
        assertThat(killedWhileRunning).isEqualTo(20);
        assertThat(killedWithBatchInFlight).isPositive();
    }

    @Test
    void redisAndPostgresRestartsMidRunLoseAndDoubleNothing() throws Exception {
        Path config = config();
        Thread producer = producer(Duration.ofMillis(40));
        producer.start();
        Process bridge = startBridge(config, "restarts");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Files.readString(logFile("restarts")).contains("[bridge] instance crash-test started"));
        for (int i = 0; i < 2; i++) {
            Thread.sleep(1500);
            pg.restart();
            Thread.sleep(1500);
            redis.restart();
        }
        producer.join();
        awaitDrained();
        bridge.destroy(); // SIGTERM: finish the batch in hand
        assertThat(bridge.waitFor()).as("graceful stop on SIGTERM").isIn(0, 143);
        verifyEveryMessageOnce();
    }

    private Path config() throws IOException {
        return Files.writeString(
                dir.resolve("bridge.yml"),
                "redis:\n  url: " + redis.url() + "\n"
                        + "database:\n  url: " + pg.url().jdbcUrl() + "?user=postgres\n  pool-size: 3\n"
                        + "bridge:\n  instance-id: crash-test\n  batch-size: 100\n  http-port: 0\n  heartbeat-timeout-seconds: 5\n"
                        + "  forward:\n    - source: celery\n      celery-target: celery_workers\n");
    }

    /** Produces {@value #MESSAGES} Celery messages in chunks; each chunk is pushed at most once, even across restarts. */
    private Thread producer(Duration pause) {
        List<List<byte[]>> chunks = new ArrayList<>();
        for (int c = 0; c < MESSAGES / CHUNK; c++) {
            List<byte[]> chunk = new ArrayList<>();
            for (int i = 0; i < CHUNK; i++) {
                chunk.add(message(TASKS[(c * CHUNK + i) % TASKS.length], i % 10 == 0 ? 6 : 0));
            }
            chunks.add(chunk);
        }
        String script = "if redis.call('SET', KEYS[1], '1', 'NX') then for i = 1, #ARGV do"
                + " redis.call('LPUSH', KEYS[2], ARGV[i]) end end return 1";
        return new Thread(
                () -> {
                    for (int c = 0; c < chunks.size(); c++) {
                        pushOnce(script, c, chunks.get(c));
                        sleep(pause.toMillis());
                    }
                },
                "producer");
    }

    private void pushOnce(String script, int chunk, List<byte[]> messages) {
        for (int attempt = 0; ; attempt++) {
            try (Jedis jedis = new Jedis(redis.url().host(), redis.url().port(), 2_000)) {
                for (byte[] m : messages.stream().filter(this::isHighPriority).toList()) {
                    // priority messages go to their own list, as kombu does
                    jedis.eval(
                            script.getBytes(StandardCharsets.UTF_8),
                            2,
                            ("produced:p:" + chunk + ":" + UUID.nameUUIDFromBytes(m)).getBytes(StandardCharsets.UTF_8),
                            "celery\u0006\u00166".getBytes(StandardCharsets.UTF_8),
                            m);
                }
                List<byte[]> normal =
                        messages.stream().filter(m -> !isHighPriority(m)).toList();
                List<byte[]> args = new ArrayList<>();
                args.add(("produced:" + chunk).getBytes(StandardCharsets.UTF_8));
                args.add("celery".getBytes(StandardCharsets.UTF_8));
                args.addAll(normal);
                jedis.eval(script.getBytes(StandardCharsets.UTF_8), 2, args.toArray(byte[][]::new));
                return;
            } catch (RuntimeException e) {
                if (attempt > 200) {
                    throw e;
                }
                sleep(100); // Redis is restarting
            }
        }
    }

    private boolean isHighPriority(byte[] m) {
        return new String(m, StandardCharsets.UTF_8).contains("\"priority\": 6");
    }

    private byte[] message(String task, int priority) {
        String id = UUID.randomUUID().toString();
        CeleryMessage msg = CeleryMessage.builder()
                .protocol(2)
                .task(task)
                .id(id)
                .rootId(id)
                .args(JSON.createArrayNode().add("user-" + id.substring(0, 8)).add(42))
                .kwargs(JSON.createObjectNode())
                .priority(priority)
                .build();
        byte[] raw = CODEC.encode(msg, EncodeTarget.of("celery"));
        String tag = CODEC.decode(raw, "celery").identity();
        taskOf.put(tag, task);
        return raw;
    }

    private Process startBridge(Path config, String name) throws IOException {
        Files.deleteIfExists(logFile(name));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CeleryPgmq.class.getName(),
                        "bridge",
                        "--config",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(name).toFile()))
                .start();
        bridges.add(p);
        return p;
    }

    /** Bridge logs are kept in the temp directory so a failure can be read after the run. */
    private static Path logFile(String name) throws IOException {
        Path logs =
                Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "celery-pgmq-bridge-crash-logs"));
        return logs.resolve("bridge-" + name + ".log");
    }

    private void finishAndVerify(Path config) throws Exception {
        Process bridge = startBridge(config, "final");
        awaitDrained();
        bridge.destroy();
        assertThat(bridge.waitFor()).as("graceful stop on SIGTERM").isIn(0, 143);
        verifyEveryMessageOnce();
    }

    private void awaitDrained() {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    try (Jedis jedis = new Jedis(redis.url().host(), redis.url().port(), 2_000)) {
                        return jedis.llen("celery") == 0
                                && jedis.llen("celery\u0006\u00166") == 0
                                && jedis.keys("celery-pgmq:inflight:*").stream().allMatch(k -> jedis.llen(k) == 0)
                                && counted() == MESSAGES;
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
    }

    /** Messages accounted for anywhere (a shadow copy counts once, on its Celery side). */
    private long counted() {
        try (Jedis jedis = new Jedis(redis.url().host(), redis.url().port(), 2_000)) {
            return jedis.llen("celery_workers")
                    + jedis.llen("celery_workers\u0006\u00166")
                    + pgmqCount("user_tasks")
                    - shadowCopies("user_tasks");
        }
    }

    private long shadowCopies(String queue) {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM celery_pgmq.ledger WHERE route = 'shadow'"
                        + " AND pgmq_queue = '" + queue + "'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The route the ledger committed for each identity sent to {@code queue}: pgmq or shadow. */
    private Map<String, String> committedRoutes(String queue) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT identity, route FROM celery_pgmq.ledger WHERE pgmq_queue = '" + queue + "'")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private long pgmqCount(String queue) {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM pgmq.q_" + queue
                        + ") + (SELECT count(*) FROM pgmq.a_" + queue + ")")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void verifyEveryMessageOnce() throws Exception {
        Map<String, Integer> inCelery = new HashMap<>();
        Map<String, Integer> inPgmq = new HashMap<>();
        Map<String, Integer> inShadow = new HashMap<>();
        try (Jedis jedis = new Jedis(redis.url().host(), redis.url().port(), 2_000)) {
            for (String list : List.of("celery_workers", "celery_workers\u0006\u00166")) {
                for (byte[] raw : jedis.lrange(list.getBytes(StandardCharsets.UTF_8), 0, -1)) {
                    JsonNode env = JSON.readTree(raw);
                    inCelery.merge(env.path("properties").path("delivery_tag").asText(), 1, Integer::sum);
                }
            }
        }
        identities("user_tasks", "headers->>'x-celery-identity'").forEach(t -> inPgmq.merge(t, 1, Integer::sum));
        identities("reports_shadow", "message->'properties'->>'delivery_tag'")
                .forEach(t -> inShadow.merge(t, 1, Integer::sum));

        Map<String, String> committed = committedRoutes("user_tasks");
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : taskOf.entrySet()) {
            String tag = e.getKey();
            String task = e.getValue();
            int celery = inCelery.getOrDefault(tag, 0);
            int pgmq = inPgmq.getOrDefault(tag, 0);
            int shadow = inShadow.getOrDefault(tag, 0);
            boolean ok =
                    switch (task) {
                            // whatever the route when it was decided, the committed decision holds
                        case "send_welcome_email" -> switch (committed.getOrDefault(tag, "celery")) {
                            case "pgmq" -> pgmq == 1 && celery == 0;
                            case "shadow" -> pgmq == 1 && celery == 1;
                            default -> celery == 1 && pgmq == 0;
                        };
                        case "generate_user_report" -> celery == 1 && shadow == 1;
                        default -> celery == 1 && pgmq == 0 && shadow == 0;
                    };
            if (!ok) {
                problems.add(task + " " + tag + ": celery=" + celery + " pgmq=" + pgmq + " shadow=" + shadow);
            }
        }
        assertThat(problems).as("messages lost or doubled").isEmpty();
        assertThat(inCelery.values().stream().mapToInt(Integer::intValue).sum()
                        + inPgmq.values().stream().mapToInt(Integer::intValue).sum()
                        - shadowCopies("user_tasks"))
                .isEqualTo(MESSAGES);
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM celery_pgmq.quarantine")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    private List<String> identities(String queue, String expression) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + expression + " FROM pgmq.q_" + queue + " UNION ALL SELECT "
                        + expression + " FROM pgmq.a_" + queue)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
