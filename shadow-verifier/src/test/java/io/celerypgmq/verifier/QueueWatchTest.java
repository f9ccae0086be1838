package io.celerypgmq.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.verifier.criteria.Criterion;
import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.criteria.Verdict;
import io.celerypgmq.verifier.report.Report;
import io.celerypgmq.verifier.uptime.QueueSample;
import io.celerypgmq.verifier.uptime.QueueWatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@RealBackends
class QueueWatchTest {
    private static Fixture fixture;
    private static DataSource ds;

    @BeforeAll
    static void install(TestPostgres pg) {
        ds = pg.dataSource();
        fixture = Fixture.install(ds);
        fixture.queue("watch_q");
        fixture.queue("idle_q");
        fixture.bridged("watch_q", "w-1", "watch.task");
        // Readable for two minutes and nobody took it: the consumer is down.
        Instant old = Instant.now().minusSeconds(120);
        long id = fixture.pending("watch_q", "w-2", old, old, 0, null);
        fixture.ledger("w-2", "watch.task", "pgmq", "watch_q", id, null, old, false);
    }

    @Test
    void aSampleRecordsHowLongTheOldestVisibleMessageHasBeenReadable() {
        List<QueueSample> samples = new QueueWatch(ds, Clock.systemUTC(), Duration.ofDays(30)).sampleOnce();

        QueueSample watched = samples.stream()
                .filter(s -> s.queue().equals("watch_q"))
                .findFirst()
                .orElseThrow();
        assertThat(watched.queueLength()).isEqualTo(2);
        assertThat(watched.oldestVisibleAgeSeconds()).isBetween(119.0, 180.0);
        assertThat(watched.isUp(30)).isFalse();
        QueueSample idle = samples.stream()
                .filter(s -> s.queue().equals("idle_q"))
                .findFirst()
                .orElseThrow();
        assertThat(idle.oldestVisibleAgeSeconds()).isNull();
        assertThat(idle.isUp(30)).isTrue();
    }

    @Test
    void watchingForADurationStoresSamplesThatTheReportJudgesUptimeBy() {
        long before = fixture.queryLong("SELECT count(*) FROM celery_pgmq.samples WHERE queue_name = 'watch_q'");
        int passes = new QueueWatch(ds, Clock.systemUTC(), Duration.ofDays(30))
                .run(Duration.ofMillis(100), Duration.ofMillis(450));

        // at most one pass per interval (it sleeps between them); how many fit depends on the machine's load
        assertThat(passes).isBetween(1, 6);
        assertThat(fixture.queryLong("SELECT count(*) FROM celery_pgmq.samples WHERE queue_name = 'watch_q'"))
                .isEqualTo(before + passes);
        Report r = new Verifier(ds, VerifierSettings.defaults(), null, Clock.systemUTC())
                .run(VerifyRequest.everything().forTask("watch.task"));
        CriterionResult uptime = r.task("watch.task").orElseThrow().criteria().stream()
                .filter(c -> c.criterion() == Criterion.CONSUMER_UPTIME)
                .findFirst()
                .orElseThrow();
        assertThat(uptime.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(uptime.value()).isZero();
    }

    @Test
    void stopWakesAWatchThatRunsForever() throws Exception {
        QueueWatch watch = new QueueWatch(ds, Clock.systemUTC(), Duration.ofDays(30));
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> watch.run(Duration.ofHours(1), null));
        Thread.sleep(300);
        watch.stop();
        assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(watch.failedPasses()).isZero();
    }
}
