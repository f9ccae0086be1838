package io.celerypgmq.bridge.dashboard;

import static io.celerypgmq.bridge.dashboard.DashboardFixture.REPORT;
import static io.celerypgmq.bridge.dashboard.DashboardFixture.WELCOME;
import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.http.BridgeHttpServer;
import io.celerypgmq.bridge.route.RouteStore;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/** The page in a real headless Chromium: its script polls the JSON and renders what was seeded. */
@RealBackends
class DashboardInBrowserTest {

    @Test
    void theRenderedPageShowsTaskTypesAndBacklogsAndIsNotBlank(TestPostgres pg, TestRedis backend, @TempDir Path tmp)
            throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require();
        DashboardFixture.seed(pg, backend, Instant.now());
        RouteStore routes = new RouteStore(pg.dataSource());
        try (JedisPooled redis = RedisConnections.open(backend.url());
                BridgeHttpServer server = BridgeHttpServer.start(
                        "127.0.0.1", 0, () -> "", () -> new BridgeHttpServer.Readiness(true, "ready"))) {
            Dashboard.install(
                    server, pg.dataSource(), redis, routes::load, DashboardOptions.readOnly(PriorityKeys.defaults()));
            String url = "http://127.0.0.1:" + server.port() + "/";

            String dom = chromium.dumpDom(url);
            assertThat(dom)
                    .containsPattern("<tr data-task=\"" + WELCOME + "\"><td class=\"task\">" + WELCOME
                            + "</td><td class=\"route mode-pgmq\">pgmq 10 % → user_tasks</td>")
                    .containsPattern("<tr data-task=\"" + REPORT + "\">.*?<td class=\"route mode-shadow\">")
                    .containsPattern(
                            "<tr data-queue=\"celery\"><td class=\"queue\">celery</td>"
                                    + "<td class=\"n ready\">3</td><td class=\"lists\">celery: 2, celery\\\\x06\\\\x169: 1</td>")
                    .containsPattern(
                            "<tr data-queue=\"emails\"><td class=\"queue\">emails</td><td class=\"n ready\">2</td>")
                    .containsPattern("<tr data-queue=\"user_tasks\"><td class=\"queue\">user_tasks</td>"
                            + "<td class=\"n length\">2</td>")
                    .contains("1 quarantined: BAD_ENVELOPE_JSON 1")
                    .contains("read-only")
                    .contains("<span id=\"status\" class=\"error\"></span>");

            Path png = tmp.resolve("dashboard.png");
            BufferedImage shot = chromium.screenshot(url, png);
            assertThat(Files.size(png)).isGreaterThan(10_000);
            assertThat(shot.getWidth()).isEqualTo(1280);
            long ink = HeadlessChromium.nonBackgroundPixels(shot);
            // Text, table rules, bars and the header band: a blank or error page has almost none of these.
            assertThat(ink).isGreaterThan(shot.getWidth() * (long) shot.getHeight() / 50);
            // The backlog bars (#4c7bd9 Redis, #2f9e8f pgmq) exist only once the script has rendered the state.
            assertThat(HeadlessChromium.pixelsOf(shot, 0x4c7bd9)).isGreaterThan(1_000);
            assertThat(HeadlessChromium.pixelsOf(shot, 0x2f9e8f)).isGreaterThan(1_000);
        }
    }
}
