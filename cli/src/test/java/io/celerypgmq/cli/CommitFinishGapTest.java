package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;

/**
 * DESIGN invariant 7 with a real bridge process killed at the worst moment: after its batch's transaction committed,
 * before its Redis finish. The crash point is made deterministic: a lock on the pgmq queue table holds the send, Redis
 * writes are paused, the lock is released so the transaction commits, and the process is SIGKILLed while its finish
 * waits for Redis. Then the route changes (a rollback, a canary promoted, a percentage lowered), and a surviving
 * instance redoes the orphaned batch: every message must end up exactly where its committed decision sent it.
 */
class CommitFinishGapTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CeleryCodec CODEC = CeleryCodec.withDefaults();
    private static final String TASK = "send_welcome_email";
    private static final int MESSAGES = 30;

    /** The route in force when the batch commits, and the one set while it waits for its redo. */
    enum Change {
        ROLLBACK(new Route(TASK, RouteMode.PGMQ, 100, "user_tasks", PayloadFormat.TASK), Route.celery(TASK)),
        CANARY_PROMOTED(
                new Route(TASK, RouteMode.SHADOW, 100, "user_tasks", PayloadFormat.TASK),
                new Route(TASK, RouteMode.PGMQ, 100, "user_tasks", PayloadFormat.TASK)),
        PERCENTAGE_LOWERED(
                new Route(TASK, RouteMode.PGMQ, 100, "user_tasks", PayloadFormat.TASK),
                new Route(TASK, RouteMode.PGMQ, 10, "user_tasks", PayloadFormat.TASK));

        final Route before;
        final Route after;

        Change(Route before, Route after) {
            this.before = before;
            this.after = after;
        }
    }

    @TempDir
    Path dir;

    private EmbeddedPostgres pg;
    private EmbeddedRedis redis;
    private HikariDataSource db;
    private final List<Process> bridges = new ArrayList<>();

    @BeforeEach
    void stores() {
        pg = EmbeddedPostgres.start();
        redis = EmbeddedRedis.start();
        db = PostgresPool.open(pg.url(), 2, "gap-test");
        PgmqInstaller.ensure(db);
        BridgeSchema.install(db);
        new PgmqClient(db).create(QueueName.of("user_tasks"));
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

    @ParameterizedTest
    @EnumSource(Change.class)
    void aRouteChangedBetweenCommitAndFinishNeitherDoublesNorLosesTheBatch(Change change) throws Exception {
        RouteStore routes = new RouteStore(db);
        if (change.before.mode() == RouteMode.PGMQ) {
            routes.set(new Route(TASK, RouteMode.SHADOW, 100, "user_tasks", PayloadFormat.TASK), "test", null);
        }
        routes.set(change.before, "test", "before the crash");
        Process first = startBridge("gap-a");
        Set<String> tags;
        Set<String> committed;
        try (Jedis jedis = jedis();
                Connection locker = db.getConnection()) {
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("LOCK TABLE pgmq.q_user_tasks IN ACCESS EXCLUSIVE MODE"); // the send will wait for it
            }
            tags = push(jedis);
            await().atMost(Duration.ofSeconds(30)).until(() -> jedis.llen("celery") == 0); // all claimed
            jedis.clientPause(120_000, ClientPauseMode.WRITE); // the finish will wait
            locker.rollback(); // the send goes on, the transaction commits
            await().atMost(Duration.ofSeconds(30)).until(() -> ledgerCount() == MESSAGES);
            Thread.sleep(500); // the finish is now waiting for Redis
        }
        committed = ledgerIdentities();
        first.destroyForcibly(); // SIGKILL between the commit and the finish
        first.waitFor();
        try (Jedis jedis = jedis()) {
            jedis.clientUnpause();
            assertThat(jedis.llen("celery-pgmq:inflight:gap-a:forward"))
                    .as("the batch was killed in flight")
                    .isEqualTo(MESSAGES);
        }
        assertThat(committed).as("and its transaction had committed").isNotEmpty();

        routes.set(change.after, "test", "while the batch waits for its redo");
        Process survivor = startBridge("gap-b");
        try (Jedis jedis = jedis()) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> jedis.llen("celery-pgmq:inflight:gap-a:forward") == 0
                            && jedis.llen("celery-pgmq:inflight:gap-b:recovery") == 0
                            && jedis.llen("celery-pgmq:inflight:gap-b:forward") == 0);
            survivor.destroy();
            survivor.waitFor();

            List<String> onCelery = new ArrayList<>();
            for (byte[] raw : jedis.lrange("celery_workers".getBytes(StandardCharsets.UTF_8), 0, -1)) {
                onCelery.add(JSON.readTree(raw)
                        .path("properties")
                        .path("delivery_tag")
                        .asText());
            }
            List<String> onPgmq = pgmqIdentities();
            assertThat(onPgmq).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(committed);
            if (change == Change.CANARY_PROMOTED) {
                // shadow copies: Celery is authoritative and must get every one, once
                assertThat(onCelery).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(tags);
            } else {
                // sent to pgmq: never on Celery as well, and nothing lost
                assertThat(onCelery).doesNotHaveDuplicates().doesNotContainAnyElementsOf(committed);
                Set<String> everywhere = new HashSet<>(onCelery);
                everywhere.addAll(onPgmq);
                assertThat(everywhere).isEqualTo(tags);
                assertThat(onCelery.size() + onPgmq.size()).isEqualTo(MESSAGES);
            }
        }
    }

    /** Pushes the batch in one LPUSH, so the bridge claims it whole. */
    private Set<String> push(Jedis jedis) {
        Set<String> tags = new HashSet<>();
        List<byte[]> batch = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            String id = UUID.randomUUID().toString();
            byte[] raw = CODEC.encode(
                    CeleryMessage.builder()
                            .protocol(2)
                            .task(TASK)
                            .id(id)
                            .rootId(id)
                            .args(JSON.createArrayNode().add("user" + i + "@example.com"))
                            .build(),
                    EncodeTarget.of("celery"));
            tags.add(CODEC.decode(raw, "celery").identity());
            batch.add(raw);
        }
        jedis.lpush("celery".getBytes(StandardCharsets.UTF_8), batch.toArray(byte[][]::new));
        return tags;
    }

    private Jedis jedis() {
        return new Jedis(redis.url().host(), redis.url().port(), 10_000);
    }

    private long ledgerCount() throws SQLException {
        return ledgerIdentities().size();
    }

    private Set<String> ledgerIdentities() throws SQLException {
        Set<String> out = new HashSet<>();
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT identity FROM celery_pgmq.ledger")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private List<String> pgmqIdentities() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT headers->>'x-celery-identity' FROM pgmq.q_user_tasks")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private Process startBridge(String instance) throws IOException {
        Path config = Files.writeString(
                dir.resolve(instance + ".yml"),
                "redis:\n  url: " + redis.url() + "\n"
                        + "database:\n  url: " + pg.url().jdbcUrl() + "?user=postgres\n  pool-size: 3\n"
                        + "bridge:\n  instance-id: " + instance + "\n  batch-size: 100\n  http-port: 0\n"
                        + "  heartbeat-timeout-seconds: 5\n"
                        + "  forward:\n    - source: celery\n      celery-target: celery_workers\n");
        Path log = dir.resolve(instance + ".log");
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
                .redirectOutput(log.toFile())
                .start();
        bridges.add(p);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Files.readString(log).contains("[bridge] instance " + instance + " started"));
        return p;
    }
}
