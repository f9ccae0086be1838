package io.celerypgmq.bridge.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.http.BridgeHttpServer;
import io.celerypgmq.bridge.route.RouteStore;
import io.celerypgmq.bridge.status.StatusEndpoint;
import io.celerypgmq.bridge.status.StatusFixture;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** The dashboard page shows the same status as {@code celery-pgmq status}, rendered by a real headless Chromium. */
@RealBackends
class StatusPanelInBrowserTest {

    @BeforeAll
    static void seed(TestPostgres pg, TestRedis backend) throws Exception {
        DashboardFixture.seed(pg, backend, Instant.now());
    }

    @Test
    void thePageShowsEachTaskTypesRouteStateRolloutStepAndLagOnBothSides(TestPostgres pg, TestRedis backend)
            throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require();
        RouteStore routes = new RouteStore(pg.dataSource());
        try (JedisPooled redis = RedisConnections.open(backend.url());
                BridgeHttpServer server = BridgeHttpServer.start(
                        "127.0.0.1", 0, () -> "", () -> new BridgeHttpServer.Readiness(true, "ready"))) {
            Dashboard.install(
                    server, pg.dataSource(), redis, routes::load, DashboardOptions.readOnly(PriorityKeys.defaults()));
            StatusEndpoint.install(server, () -> StatusFixture.draining(Instant.now()));

            String dom = chromium.dumpDom("http://127.0.0.1:" + server.port() + "/");

            assertThat(dom)
                    .contains("<section id=\"live-status\">")
                    .containsPattern("<tr data-task=\"welcome\"><td class=\"task\">welcome</td><td class=\"state"
                            + " state-draining\">draining \\(Redis still holds 4 messages of that type, last checked at"
                            + " [^)]+\\) → user_tasks</td><td class=\"rollout\">#2 ramping, step 3/3 \\(100 %\\)</td>"
                            + "<td class=\"gate\">next gate in \\d+ s</td><td class=\"n\">1.5</td><td class=\"n"
                            + " celery-backlog\">4</td><td class=\"n celery-lag\">≥ 12.0</td><td class=\"n\">9.0</td>"
                            + "<td class=\"n pgmq-backlog\">0</td><td class=\"n pgmq-lag\">0</td></tr>");
        }
    }

    @Test
    void withoutAStatusEndpointThePanelStaysHidden(TestPostgres pg, TestRedis backend) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require();
        try (JedisPooled redis = RedisConnections.open(backend.url());
                BridgeHttpServer server = BridgeHttpServer.start(
                        "127.0.0.1", 0, () -> "", () -> new BridgeHttpServer.Readiness(true, "ready"))) {
            Dashboard.install(
                    server,
                    pg.dataSource(),
                    redis,
                    new RouteStore(pg.dataSource())::load,
                    DashboardOptions.readOnly(PriorityKeys.defaults()));

            String dom = chromium.dumpDom("http://127.0.0.1:" + server.port() + "/");

            assertThat(dom).contains("<section id=\"live-status\" hidden=\"\">").contains("<tr data-task=");
        }
    }
}
