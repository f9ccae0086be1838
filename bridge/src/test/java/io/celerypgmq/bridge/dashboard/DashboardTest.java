package io.celerypgmq.bridge.dashboard;

import static io.celerypgmq.bridge.dashboard.DashboardFixture.REPORT;
import static io.celerypgmq.bridge.dashboard.DashboardFixture.WELCOME;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.http.BridgeHttpServer;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteStore;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** The dashboard's JSON and route-change endpoint against real Postgres, pgmq, Redis and Celery messages. */
@RealBackends
class DashboardTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String TOKEN = "s3cret-dashboard-token";
    static final String OWNER = "ops on-call (dashboard)";

    private static JedisPooled redis;
    private static BridgeHttpServer readOnly;
    private static BridgeHttpServer writable;
    private static RouteStore routes;

    @BeforeAll
    static void serve(TestPostgres pg, TestRedis backend) throws Exception {
        DashboardFixture.seed(pg, backend, Instant.now());
        redis = RedisConnections.open(backend.url());
        routes = new RouteStore(pg.dataSource());
        readOnly =
                BridgeHttpServer.start("127.0.0.1", 0, () -> "", () -> new BridgeHttpServer.Readiness(true, "ready"));
        Dashboard.install(
                readOnly, pg.dataSource(), redis, routes::load, DashboardOptions.readOnly(PriorityKeys.defaults()));
        writable =
                BridgeHttpServer.start("127.0.0.1", 0, () -> "", () -> new BridgeHttpServer.Readiness(true, "ready"));
        Dashboard.install(
                writable,
                pg.dataSource(),
                redis,
                routes::load,
                DashboardOptions.readOnly(PriorityKeys.defaults())
                        .withRouteToken(TOKEN)
                        .withRouteTokenOwner(OWNER)
                        .withVerdicts(() -> Optional.of(
                                new VerdictSource.Verdict("PASS", Instant.parse("2026-01-02T03:04:05Z"), "0 lost"))));
    }

    @AfterAll
    static void stop() {
        if (readOnly != null) {
            readOnly.close();
        }
        if (writable != null) {
            writable.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    static JsonNode state(BridgeHttpServer server) throws Exception {
        HttpResponse<String> r = get(server, "/api/state");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        return JSON.readTree(r.body());
    }

    static HttpResponse<String> get(BridgeHttpServer server, String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(BridgeHttpServer server, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/routes"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        return StreamSupport.stream(array.spliterator(), false)
                .filter(n -> value.equals(n.path(field).asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + field + "=" + value + " in " + array));
    }

    @Test
    void eachTaskTypeShowsItsRouteThroughputAndOutcomes() throws Exception {
        JsonNode welcome = find(state(readOnly).get("tasks"), "task", WELCOME);

        assertThat(welcome.get("route").asText()).isEqualTo("pgmq 10 % → user_tasks");
        assertThat(welcome.get("percent").asInt()).isEqualTo(10);
        assertThat(welcome.get("per_minute").get("to_celery").asDouble()).isEqualTo(8.0);
        assertThat(welcome.get("per_minute").get("to_pgmq").asDouble()).isEqualTo(2.0);
        assertThat(welcome.get("totals").get("to_celery").asLong()).isEqualTo(40);
        assertThat(welcome.get("sent").asLong()).isEqualTo(3);
        assertThat(welcome.get("archived").asLong()).isEqualTo(2);
        assertThat(welcome.get("dlq").asLong()).isEqualTo(1);

        JsonNode report = find(state(readOnly).get("tasks"), "task", REPORT);
        assertThat(report.get("mode").asText()).isEqualTo("shadow");
        assertThat(report.get("per_minute").get("to_shadow").asDouble()).isEqualTo(1.0);
    }

    @Test
    void eachQueueShowsItsBacklogOnBothSides() throws Exception {
        JsonNode s = state(readOnly);

        JsonNode celery = find(s.get("redis").get("queues"), "queue", "celery");
        assertThat(celery.get("ready").asLong()).isEqualTo(3);
        assertThat(find(celery.get("lists"), "key", "celery\\x06\\x169")
                        .get("length")
                        .asLong())
                .isEqualTo(1);
        assertThat(celery.get("unacked").asLong()).isZero();
        assertThat(find(s.get("redis").get("queues"), "queue", "emails")
                        .get("ready")
                        .asLong())
                .isEqualTo(2);

        JsonNode userTasks = find(s.get("pgmq").get("queues"), "queue", "user_tasks");
        assertThat(userTasks.get("length").asLong()).isEqualTo(2);
        assertThat(userTasks.get("archived").asLong()).isEqualTo(2);
        assertThat(userTasks.get("dlq").asLong()).isEqualTo(1);
        assertThat(userTasks.get("oldest_age_sec").isInt()).isTrue();
        assertThat(s.get("pgmq").get("queues").toString()).doesNotContain("\"user_tasks_dlq\"");
        assertThat(s.get("quarantine").get("total").asLong()).isEqualTo(1);
        assertThat(s.get("quarantine").get("by_reason").get("BAD_ENVELOPE_JSON").asLong())
                .isEqualTo(1);
    }

    @Test
    void routeHistoryAndTheOptionalVerdictAreShown() throws Exception {
        JsonNode s = state(readOnly);
        assertThat(find(s.get("route_history"), "task", REPORT).get("old").isNull())
                .isTrue();
        assertThat(find(s.get("route_history"), "reason", "canary").get("new").asText())
                .isEqualTo("pgmq 10 % → user_tasks");
        assertThat(s.get("verdict").isNull()).isTrue();
        assertThat(s.get("read_only").asBoolean()).isTrue();

        JsonNode verdict = state(writable).get("verdict");
        assertThat(verdict.get("verdict").asText()).isEqualTo("PASS");
        assertThat(verdict.get("summary").asText()).isEqualTo("0 lost");
    }

    @Test
    void aReadOnlyDashboardRefusesRouteChangesEvenWithAToken() throws Exception {
        HttpResponse<String> r = post(readOnly, TOKEN, "{\"task\": \"" + REPORT + "\", \"mode\": \"celery\"}");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("route changes from the dashboard are off");
        assertThat(routes.load().routeFor(REPORT).mode()).isEqualTo(RouteMode.SHADOW);
    }

    @Test
    void aWrongOrMissingTokenIsRefused() throws Exception {
        String rollback = "{\"task\": \"" + REPORT + "\", \"mode\": \"celery\"}";
        assertThat(post(writable, null, rollback).statusCode()).isEqualTo(403);
        assertThat(post(writable, TOKEN + "x", rollback).statusCode()).isEqualTo(403);
        assertThat(routes.load().routeFor(REPORT).mode()).isEqualTo(RouteMode.SHADOW);
    }

    @Test
    void withTheTokenARouteChangesUnderTheSameRulesAndIsAudited() throws Exception {
        HttpResponse<String> skip =
                post(writable, TOKEN, "{\"task\": \"cleanup\", \"mode\": \"pgmq\", \"queue\": \"q\"}");
        assertThat(skip.statusCode()).isEqualTo(409);
        assertThat(skip.body()).contains("cannot change cleanup from celery to pgmq");
        assertThat(routes.load().routeFor("cleanup").mode()).isEqualTo(RouteMode.CELERY);

        HttpResponse<String> bad = post(writable, TOKEN, "{\"task\": \"cleanup\", \"mode\": \"kafka\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("unknown route mode 'kafka'");

        HttpResponse<String> ok = post(
                writable,
                TOKEN,
                "{\"task\": \"cleanup\", \"mode\": \"shadow\", \"queue\": \"cleanup_shadow\", \"reason\": \"try it\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).get("new").asText()).isEqualTo("shadow → cleanup_shadow");
        assertThat(routes.load().routeFor("cleanup").mode()).isEqualTo(RouteMode.SHADOW);
        assertThat(routes.history(1).get(0).changedBy()).isEqualTo(OWNER);
        assertThat(routes.history(1).get(0).reason()).isEqualTo("try it");
    }

    @Test
    void theHistoryNamesTheTokensOwnerAndARequestCannotNameAnother() throws Exception {
        HttpResponse<String> forged = post(
                writable,
                TOKEN,
                "{\"task\": \"audit.t\", \"mode\": \"shadow\", \"queue\": \"audit_shadow\", \"by\": \"the CTO\"}");
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("recorded as " + OWNER).contains("dashboard.token-owner");
        assertThat(routes.load().routeFor("audit.t").mode()).isEqualTo(RouteMode.CELERY);

        HttpResponse<String> ok =
                post(writable, TOKEN, "{\"task\": \"audit.t\", \"mode\": \"shadow\", \"queue\": \"audit_shadow\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).get("by").asText()).isEqualTo(OWNER);
        assertThat(routes.history(1).get(0).taskPattern()).isEqualTo("audit.t");
        assertThat(routes.history(1).get(0).changedBy()).isEqualTo(OWNER);
    }

    @Test
    void theQueueListOfASmallDatabaseComesFromACompleteScanAtOnce() throws Exception {
        JsonNode discovery = state(readOnly).get("redis").get("discovery");

        assertThat(discovery.get("complete").asBoolean()).isTrue();
        assertThat(discovery.get("sampled").asBoolean()).isFalse();
        assertThat(discovery.get("completed_at").isTextual()).isTrue();
    }

    @Test
    void thePageIsSelfContained() throws Exception {
        HttpResponse<String> page = get(readOnly, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.body())
                .contains("fetch(\"/api/state\"")
                .contains("setInterval(refresh, 2000)")
                .doesNotContain("http://")
                .doesNotContain("https://")
                .doesNotContainPattern("<(script|link|img)[^>]+(src|href)=");
        assertThat(get(readOnly, "/dashboard").body()).isEqualTo(page.body());
        assertThat(get(readOnly, "/nothing-here").statusCode()).isEqualTo(404);
        assertThat(get(readOnly, "/metrics").statusCode()).isEqualTo(200);
    }
}
