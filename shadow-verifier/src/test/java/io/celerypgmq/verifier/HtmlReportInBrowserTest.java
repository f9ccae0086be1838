package io.celerypgmq.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.verifier.report.Report;
import io.celerypgmq.verifier.report.ReportFormat;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report opened in headless Chromium: one file, charts drawn, nothing fetched. */
@RealBackends
class HtmlReportInBrowserTest {
    private static final Instant NOW = Instant.parse("2031-05-01T12:00:00Z");
    private static String html;

    @BeforeAll
    static void report(TestPostgres pg) {
        Fixture f = Fixture.install(pg.dataSource());
        VerifierSchema.install(pg.dataSource());
        f.queue("web_q");
        f.queue("web_q_dlq");
        // 60 messages over the last hour, archived 0.2..12 s after enqueue; 3 dead-lettered; 5 still pending.
        f.script("WITH s AS (SELECT i, timestamptz '2031-05-01 11:00:00Z' + i * interval '1 minute' AS enq"
                + " FROM generate_series(1, 60) i), a AS (INSERT INTO pgmq.a_web_q (msg_id, read_ct, enqueued_at,"
                + " last_read_at, archived_at, vt, message, headers) SELECT i, 1, enq, enq + (i % 12 + 0.2)"
                + " * interval '1 second', enq + (i % 12 + 1) * interval '1 second', enq, '{}', NULL FROM s"
                + " WHERE i > 8) INSERT INTO celery_pgmq.ledger (identity, task_id, task_name, source_key, route,"
                + " pgmq_queue, pgmq_msg_id, bridged_at, instance) SELECT 'web-' || i, 't' || i,"
                + " CASE WHEN i % 3 = 0 THEN 'reports.<generate>' ELSE 'send_welcome_email' END, 'celery', 'pgmq',"
                + " 'web_q', i, enq, 'test' FROM s");
        f.script("INSERT INTO pgmq.q_web_q_dlq (read_ct, enqueued_at, vt, message, headers) SELECT 0,"
                + " timestamptz '2031-05-01 11:30:00Z', timestamptz '2031-05-01 11:30:00Z', '{}',"
                + " jsonb_build_object('original_msg_id', i::text, 'error', 'boom') FROM generate_series(1, 3) i");
        f.script("INSERT INTO pgmq.q_web_q (read_ct, enqueued_at, vt, message, headers) SELECT 0,"
                + " timestamptz '2031-05-01 11:59:00Z', timestamptz '2031-05-01 11:59:00Z', '{}',"
                + " jsonb_build_object('x-celery-identity', 'web-' || i) FROM generate_series(4, 8) i");
        f.script("INSERT INTO celery_pgmq.samples (sampled_at, queue_name, queue_length, visible_length,"
                + " oldest_visible_age_sec, oldest_age_sec, total_messages) SELECT timestamptz '2031-05-01 11:00:00Z'"
                + " + i * interval '30 seconds', 'web_q', (i % 17), 1, 2, 3, 100 FROM generate_series(0, 119) i");
        f.ledger(
                "web-lost",
                "send_welcome_email",
                "pgmq",
                "web_q",
                9_999L,
                null,
                Instant.parse("2031-05-01T11:45:00Z"),
                false);
        Report r = new Verifier(pg.dataSource(), VerifierSettings.defaults(), null, Clock.fixed(NOW, ZoneOffset.UTC))
                .run(new VerifyRequest(Instant.parse("2031-05-01T11:00:00Z"), null, null));
        html = ReportFormat.HTML.render(r);
    }

    @Test
    void theReportIsOneSelfContainedFileThatNamesTheGateAndEscapesTaskNames() {
        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(html.replace("http://www.w3.org/2000/svg", ""))
                .as("nothing fetched: the SVG namespace is the only URL")
                .doesNotContain("http:", "https:", "<script src");
        assertThat(html).contains("data-gate=\"NO_GO\"", "web-lost", "reports.&lt;generate&gt;");
        assertThat(html).doesNotContain("reports.<generate>");
    }

    @Test
    void chromiumRendersTheChartsWithTheirData(@TempDir Path dir) throws IOException, InterruptedException {
        Chromium chromium = Chromium.require(dir);
        Path file = dir.resolve("report.html");
        Files.writeString(file, html, StandardCharsets.UTF_8);

        String dom = chromium.dumpDom(file);
        for (String chart : new String[] {"chart-latency", "chart-outcomes", "chart-throughput", "chart-backlog"}) {
            assertThat(dom).as(chart).contains("data-chart=\"" + chart + "\"");
        }
        // The window ends at 12:00 (exclusive): 59 generated entries + web-lost. 51 archived and 5 waiting have a
        // queue wait; the 3 dead-lettered do not (no completion log, so their read time is unknown).
        assertThat(sum(dom, "class=\"bar\"[^>]*data-value=\"(\\d+)\""))
                .as("latency histogram bars")
                .isEqualTo(56);
        assertThat(sum(dom, "class=\"part\"[^>]*data-value=\"(\\d+)\""))
                .as("outcome parts")
                .isEqualTo(60);
        assertThat(dom).containsPattern("data-series=\"sent to pgmq\" data-values=\"[0-9,]*[1-9]");
        assertThat(dom).containsPattern("data-series=\"backlog\" data-values=\"[0-9,]*[1-9]");

        Path png = dir.resolve("report.png");
        chromium.screenshot(file, png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG chromium wrote").isNotNull();
        long inked = 0;
        long chartBlue = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                inked += rgb == 0xFFFFFF ? 0 : 1;
                chartBlue += near(rgb, 0x0969da) ? 1 : 0;
            }
        }
        long pixels = (long) image.getWidth() * image.getHeight();
        assertThat(inked).as("non-white pixels of %s", pixels).isGreaterThan(pixels / 50);
        assertThat(chartBlue).as("pixels of the histogram bars' blue").isGreaterThan(500);
    }

    private static long sum(String dom, String regex) {
        Matcher m = Pattern.compile(regex).matcher(dom);
        long total = 0;
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    private static boolean near(int rgb, int target) {
        int dr = Math.abs(((rgb >> 16) & 0xFF) - ((target >> 16) & 0xFF));
        int dg = Math.abs(((rgb >> 8) & 0xFF) - ((target >> 8) & 0xFF));
        int db = Math.abs((rgb & 0xFF) - (target & 0xFF));
        return dr + dg + db < 30;
    }
}
