package io.celerypgmq.bridge.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.http.BridgeHttpServer;
import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.route.RouteTable;
import io.celerypgmq.bridge.store.PostgresPool;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.embedded.EmbeddedRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/**
 * A broker database that also holds a million Celery result keys, as one shared with the result backend does. The
 * dashboard must answer quickly from the first request and cost Redis a bounded number of SCANs per refresh, however
 * many keys there are, saying the queue list is a sample until its scan completes. Runs on its own Redis server so
 * {@code INFO commandstats} counts this dashboard's SCANs only.
 */
@RealBackends
class DashboardOnAMillionKeysTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int RESULT_KEYS = 1_000_000;
    private static final long FAST_MILLIS = 100;
    private static final Pattern SCAN_CALLS = Pattern.compile("cmdstat_scan:calls=(\\d+)");

    private static EmbeddedRedis server;
    private static JedisPooled redis;
    private static HikariDataSource db;
    private static BridgeHttpServer http;
    private static JedisPooled empty;
    private static BridgeHttpServer baseline;
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-22T08:00:00Z"));

    @BeforeAll
    static void aMillionResultKeysAndTwoQueues(TestPostgres pg) throws Exception {
        server = EmbeddedRedis.start();
        redis = RedisConnections.open(server.url());
        String[] batch = new String[2 * 10_000];
        for (int i = 0; i < RESULT_KEYS; i += 10_000) {
            for (int j = 0; j < 10_000; j++) {
                batch[2 * j] = "celery-task-meta-"
                        + java.util.UUID.nameUUIDFromBytes(
                                Integer.toString(i + j).getBytes());
                batch[2 * j + 1] = "{\"status\": \"SUCCESS\", \"result\": null}";
            }
            redis.mset(batch);
        }
        String envelope =
                "{\"body\": \"W10=\", \"headers\": {\"task\": \"t\"}, \"properties\": {\"delivery_tag\": \"x\"}}";
        redis.lpush("celery", envelope);
        redis.lpush("emails", envelope);
        assertThat(redis.dbSize()).isEqualTo(RESULT_KEYS + 2);

        db = PostgresPool.open(pg.url(), 4, "dashboard"); // pooled, as the bridge's
        PgmqInstaller.ensure(db);
        BridgeSchema.install(db);
        baseline();
        http = BridgeHttpServer.start("127.0.0.1", 0, () -> "", () -> new BridgeHttpServer.Readiness(true, "ready"));
        Dashboard.install(
                http,
                db,
                redis,
                RouteTable::celeryOnly,
                DashboardOptions.readOnly(PriorityKeys.defaults()).withClock(CLOCK));
    }

    /**
     * The same dashboard over an empty database of the same server: it warms up this JVM's request path first, and then
     * serves as the baseline every poll is compared with, so a busy test machine slows both alike.
     */
    private static void baseline() throws Exception {
        empty = RedisConnections.open(server.url().withDatabase(1));
        baseline =
                BridgeHttpServer.start("127.0.0.1", 0, () -> "", () -> new BridgeHttpServer.Readiness(true, "ready"));
        Dashboard.install(
                baseline,
                db,
                empty,
                RouteTable::celeryOnly,
                DashboardOptions.readOnly(PriorityKeys.defaults()).withCacheFor(Duration.ZERO));
        for (int i = 0; i < 20; i++) {
            state(baseline);
        }
    }

    @AfterAll
    static void stop() {
        for (BridgeHttpServer server : new BridgeHttpServer[] {http, baseline}) {
            if (server != null) {
                server.close();
            }
        }
        if (empty != null) {
            empty.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (server != null) {
            server.close(); // the million keys go with the server
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void everyStateIsAsQuickAsOnAnEmptyDatabaseAndTheScanIsBoundedUntilTheListIsComplete() throws Exception {
        long scans = scanCalls();
        Timed first = state(http);
        assertThat(first.millis()).as("the first /api/state").isLessThan(FAST_MILLIS);
        assertThat(scanCalls() - scans).isLessThanOrEqualTo(QueueDiscovery.SCAN_CALLS_PER_STEP);
        JsonNode discovery = first.json().get("redis").get("discovery");
        assertThat(discovery.get("sampled").asBoolean()).isTrue();
        assertThat(discovery.get("keys_in_database").asLong()).isEqualTo(RESULT_KEYS + 2);
        assertThat(discovery.get("keys_scanned").asLong()).isPositive().isLessThan(RESULT_KEYS);

        // An open tab polls every 2 s and each poll computes the state afresh, starting at most one step.
        List<Long> millis = new ArrayList<>();
        List<Long> overBaseline = new ArrayList<>();
        long scansInTwentySeconds = -1;
        JsonNode last = first.json();
        int polls = 0;
        while (last.get("redis").get("discovery").get("sampled").asBoolean() && polls < 2_000) {
            CLOCK.now = CLOCK.now.plus(Duration.ofSeconds(2));
            Timed t = state(http);
            millis.add(t.millis());
            overBaseline.add(t.millis() - state(baseline).millis());
            last = t.json();
            if (++polls == 10) {
                scansInTwentySeconds = scanCalls() - scans;
            }
        }
        long allScans = scanCalls() - scans;

        assertThat(last.get("redis").get("discovery").get("complete").asBoolean())
                .as("the scan completed after %d polls", polls)
                .isTrue();
        assertThat(queues(last)).containsExactly("celery", "emails");
        assertThat(allScans).isLessThanOrEqualTo((polls + 1L) * QueueDiscovery.SCAN_CALLS_PER_STEP);
        assertThat(scansInTwentySeconds).isBetween(1L, 11L * QueueDiscovery.SCAN_CALLS_PER_STEP);
        millis.sort(null);
        overBaseline.sort(null);
        assertThat(millis.get(millis.size() / 2))
                .as("median of %d states, ms: %s", millis.size(), millis)
                .isLessThan(FAST_MILLIS);
        assertThat(overBaseline.get(overBaseline.size() / 2))
                .as("median of what a million keys add to a state, ms: %s", overBaseline)
                .isLessThan(25);

        // Until the next scan is due, a state costs no SCAN at all.
        Thread.sleep(200); // the last step triggered may still be finishing
        long settled = scanCalls();
        CLOCK.now = CLOCK.now.plus(Duration.ofSeconds(2));
        assertThat(queues(state(http).json())).containsExactly("celery", "emails");
        Thread.sleep(200);
        assertThat(scanCalls()).isEqualTo(settled);
    }

    private record Timed(JsonNode json, long millis) {}

    private static Timed state(BridgeHttpServer server) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/state"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(r.statusCode()).isEqualTo(200);
        return new Timed(JSON.readTree(r.body()), millis);
    }

    private static List<String> queues(JsonNode state) {
        List<String> out = new ArrayList<>();
        state.get("redis").get("queues").forEach(q -> out.add(q.get("queue").asText()));
        return out;
    }

    private static long scanCalls() {
        try (Jedis stats = new Jedis(server.url().host(), server.port())) {
            Matcher m = SCAN_CALLS.matcher(stats.info("commandstats"));
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }
    }
}
