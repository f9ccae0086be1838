package io.celerypgmq.bridge.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.bridge.pump.ExpiresPolicy;
import io.celerypgmq.bridge.pump.ForwardSource;
import io.celerypgmq.bridge.pump.PriorityPolicy;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteStore;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.bridge.store.StoreUnavailableException;
import io.celerypgmq.config.ConnectionSettings;
import io.celerypgmq.config.RedisUrl;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * The daemon as the one owner of its lifecycle (start once, close what a failed start opened, stop idempotently) and
 * {@code /ready} telling the truth about each pump, on real Postgres and Redis.
 */
@RealBackends
class BridgeDaemonLifecycleTest {

    private static BridgeSettings settings(String instance, int httpPort) {
        return new BridgeSettings(
                instance,
                10,
                20,
                30,
                httpPort,
                PriorityKeys.DEFAULT_STEPS,
                PriorityKeys.DEFAULT_SEPARATOR,
                "",
                ExpiresPolicy.FORWARD,
                PriorityPolicy.HEADER,
                true,
                List.of(new ForwardSource("celery", "celery_workers")),
                List.of());
    }

    private static Set<String> bridgeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("bridge") || n.startsWith("route-watcher") || n.startsWith("forward-writer"))
                .collect(Collectors.toSet());
    }

    @Test
    void startRefusesASecondCallAndStopIsIdempotent(TestPostgres pg, TestRedis redis) {
        BridgeDaemon daemon = new BridgeDaemon(
                new ConnectionSettings(redis.url(), pg.url(), 4),
                settings("once", 0),
                Map.of(),
                Clock.systemUTC(),
                PumpMetrics.NONE);
        daemon.start();
        try {
            assertThatThrownBy(daemon::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("started already");
            assertThatThrownBy(() -> daemon.loop("late", 10, d -> () -> false))
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            daemon.stop();
            daemon.stop();
        }
        assertThat(daemon.ready()).isFalse();
    }

    @Test
    void aStartThatCannotReachRedisClosesThePoolAndThreadsItOpened(TestPostgres pg) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Set<String> before = bridgeThreads();
        BridgeDaemon daemon = new BridgeDaemon(
                        new ConnectionSettings(RedisUrl.parse("redis://127.0.0.1:" + closedPort + "/0"), pg.url(), 4),
                        settings("no-redis", 0),
                        Map.of(),
                        Clock.systemUTC(),
                        PumpMetrics.NONE)
                .startupAttempts(2);

        assertThatThrownBy(daemon::start).isInstanceOf(StoreUnavailableException.class);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(bridgeThreads())
                .as("threads the failed start left behind")
                .isSubsetOf(before));
        try (Connection c = pg.connect();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'celery-pgmq'"
                        + " AND datname = current_database()")) {
            rs.next();
            assertThat(rs.getLong(1)).as("pool connections left open").isZero();
        }
    }

    @Test
    void readyNamesAPumpStuckInAPassSinceWhenAndWhyAndRecoversWhenItMovesAgain(TestPostgres pg, TestRedis redis)
            throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String queue = "stuck_" + UUID.randomUUID().toString().substring(0, 8);
        PgmqInstaller.ensure(pg.dataSource());
        BridgeSchema.install(pg.dataSource());
        new PgmqClient(pg.dataSource()).create(QueueName.of(queue));
        new RouteStore(pg.dataSource())
                .set(new Route("send_welcome_email", RouteMode.SHADOW, 100, queue, PayloadFormat.TASK), "test", null);
        BridgeDaemon daemon = new BridgeDaemon(
                        new ConnectionSettings(redis.url(), pg.url(), 4),
                        settings("stuck", port),
                        Map.of(),
                        Clock.systemUTC(),
                        PumpMetrics.NONE)
                .serveHttp("127.0.0.1", () -> "", null)
                .stallAfter(Duration.ofSeconds(1));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                .build();
        daemon.start();
        try (JedisPooled jedis = RedisConnections.open(redis.url());
                Connection locker = pg.connect()) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> http.send(ready, HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200);
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("LOCK TABLE pgmq.q_" + queue + " IN ACCESS EXCLUSIVE MODE"); // the send will wait
            }
            jedis.lpush(
                    "celery",
                    new String(
                            io.celerypgmq.bridge.codec.CeleryCodec.withDefaults()
                                    .encode(
                                            io.celerypgmq.bridge.codec.CeleryMessage.builder()
                                                    .task("send_welcome_email")
                                                    .id(UUID.randomUUID().toString())
                                                    .build(),
                                            io.celerypgmq.bridge.codec.EncodeTarget.of("celery")),
                            java.nio.charset.StandardCharsets.UTF_8));

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                HttpResponse<String> r = http.send(ready, HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.body()).contains("forward: not ready since ").contains("a pass has been running for");
            });
            assertThat(daemon.ready()).isFalse();

            locker.rollback(); // the lock goes, the pass ends
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> http.send(ready, HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200);
            await().atMost(Duration.ofSeconds(10)).until(() -> jedis.llen("celery_workers") == 1);
        } finally {
            daemon.stop();
        }
    }
}
