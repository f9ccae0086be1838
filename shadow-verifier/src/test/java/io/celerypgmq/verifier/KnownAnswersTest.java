package io.celerypgmq.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.verifier.criteria.CriteriaBook;
import io.celerypgmq.verifier.criteria.Criterion;
import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.criteria.Verdict;
import io.celerypgmq.verifier.latency.WaitHistogram;
import io.celerypgmq.verifier.latency.WaitStats;
import io.celerypgmq.verifier.reconcile.DlqConvention;
import io.celerypgmq.verifier.report.Report;
import io.celerypgmq.verifier.report.TaskReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DLQ rate, queue-wait percentiles and uptime on data built with chosen timestamps, against an injected clock, so every
 * expected number is worked out by hand below.
 */
@RealBackends
class KnownAnswersTest {
    private static final Instant NOW = Instant.parse("2031-03-01T12:00:00Z");
    private static Report report;

    @BeforeAll
    static void build(TestPostgres pg) {
        DataSource ds = pg.dataSource();
        Fixture f = Fixture.install(ds);
        VerifierSchema.install(ds);
        latency(f);
        dlqRates(f);
        uptime(f);
        CriteriaBook book = CriteriaBook.fromYaml(new ObjectMapper()
                .createObjectNode()
                .set(
                        "tasks",
                        new ObjectMapper()
                                .createObjectNode()
                                .set(
                                        "up.lenient",
                                        new ObjectMapper().createObjectNode().put("stall-seconds", 3601))));
        VerifierSettings settings =
                new VerifierSettings(DlqConvention.defaults(), Optional.empty(), "celery-task-meta-", book, 100, 30);
        report = new Verifier(ds, settings, null, Clock.fixed(NOW, ZoneOffset.UTC))
                .run(new VerifyRequest(NOW.minus(Duration.ofDays(1)), null, null));
    }

    /**
     * lat.task: 100 archived messages read once, waiting 1..100 s after becoming visible (odd ones had a one-hour ETA,
     * which must not count); one read three times (left out); one unread and visible for 500 s (counts with 500 s); one
     * in flight read 0.5 s after enqueue; one with an ETA still in the future (not yet waiting).
     */
    private static void latency(Fixture f) {
        f.queue("lat_q");
        f.script("WITH s AS (SELECT i, timestamptz '2031-03-01 09:00:00Z' + i * interval '1 minute' AS enq,"
                + " CASE WHEN i % 2 = 1 THEN timestamptz '2031-03-01 09:00:00Z' + i * interval '1 minute'"
                + " + interval '1 hour' END AS eta FROM generate_series(1, 100) i),"
                + " a AS (INSERT INTO pgmq.a_lat_q (msg_id, read_ct, enqueued_at, last_read_at, archived_at, vt,"
                + " message, headers) SELECT 1000 + i, 1, enq, coalesce(eta, enq) + i * interval '1 second',"
                + " coalesce(eta, enq) + i * interval '1 second' + interval '3 seconds', coalesce(eta, enq), '{}',"
                + " jsonb_build_object('x-celery-identity', 'lat-' || i) FROM s)"
                + " INSERT INTO celery_pgmq.ledger (identity, task_id, task_name, source_key, route, pgmq_queue,"
                + " pgmq_msg_id, outcome, eta, bridged_at, instance) SELECT 'lat-' || i, 'tid-' || i, 'lat.task',"
                + " 'celery', 'pgmq', 'lat_q', 1000 + i, 'sent', eta, enq, 'test' FROM s");
        Instant enq = NOW.minusSeconds(3000);
        long redelivered = f.archived("lat_q", "lat-redelivered", enq, 3, enq.plusSeconds(900), enq.plusSeconds(901));
        f.ledger("lat-redelivered", "lat.task", "pgmq", "lat_q", redelivered, null, enq, false);
        long waiting = f.pending("lat_q", "lat-waiting", NOW.minusSeconds(500), NOW.minusSeconds(500), 0, null);
        f.ledger("lat-waiting", "lat.task", "pgmq", "lat_q", waiting, null, NOW.minusSeconds(500), false);
        Instant flight = NOW.minusSeconds(100);
        long inFlight = f.pending("lat_q", "lat-flight", flight, NOW.plusSeconds(30), 1, flight.plusMillis(500));
        f.ledger("lat-flight", "lat.task", "pgmq", "lat_q", inFlight, null, flight, false);
        long future = f.pending("lat_q", "lat-future", NOW.minusSeconds(10), NOW.plusSeconds(3600), 0, null);
        f.ledger("lat-future", "lat.task", "pgmq", "lat_q", future, NOW.plusSeconds(3600), NOW.minusSeconds(10), false);
    }

    /** rate.ok: 5 of 1000 dead-lettered; rate.bad: 3 of 200; rate.edge: 1 of 100, exactly the 1 % limit. */
    private static void dlqRates(Fixture f) {
        f.queue("rate_q");
        f.queue("rate_q_dlq");
        int base = 10_000;
        for (String[] spec :
                new String[][] {{"rate.ok", "1000", "5"}, {"rate.bad", "200", "3"}, {"rate.edge", "100", "1"}}) {
            String task = spec[0];
            int n = Integer.parseInt(spec[1]);
            int dead = Integer.parseInt(spec[2]);
            f.script("INSERT INTO celery_pgmq.ledger (identity, task_id, task_name, source_key, route, pgmq_queue,"
                    + " pgmq_msg_id, outcome, bridged_at, instance) SELECT '" + task + "-' || i, 't' || i, '" + task
                    + "', 'celery', 'pgmq', 'rate_q', " + base + " + i, 'sent', timestamptz '2031-03-01 10:00:00Z',"
                    + " 'test' FROM generate_series(1, " + n + ") i");
            f.script("INSERT INTO pgmq.a_rate_q (msg_id, read_ct, enqueued_at, last_read_at, archived_at, vt, message,"
                    + " headers) SELECT " + base + " + i, 1, timestamptz '2031-03-01 10:00:00Z',"
                    + " timestamptz '2031-03-01 10:00:01Z', timestamptz '2031-03-01 10:00:02Z',"
                    + " timestamptz '2031-03-01 10:00:00Z', '{}', NULL FROM generate_series(" + (dead + 1) + ", " + n
                    + ") i");
            f.script("INSERT INTO pgmq.q_rate_q_dlq (read_ct, enqueued_at, vt, message, headers) SELECT 0,"
                    + " timestamptz '2031-03-01 10:00:05Z', timestamptz '2031-03-01 10:00:05Z',"
                    + " jsonb_build_object('error', 'boom'), jsonb_build_object('original_msg_id', (" + base
                    + " + i)::text) FROM generate_series(1, " + dead + ") i");
            base += 10_000;
        }
    }

    /**
     * Samples every 10 s in the last day. up_a: 2000 samples, 1 down (45 s ≥ 30 s) → 99.95 %, plus a down sample two
     * days ago, outside the window. up_b: 1000 samples, 2 down (31 s and 3600 s) → 99.8 %. up.lenient shares up_b but
     * tolerates 3601 s → 100 %. up_none has no samples.
     */
    private static void uptime(Fixture f) {
        f.script("INSERT INTO celery_pgmq.samples (sampled_at, queue_name, queue_length, visible_length,"
                + " oldest_visible_age_sec, oldest_age_sec, total_messages)"
                + " SELECT timestamptz '2031-03-01 11:59:00Z' - i * interval '10 seconds', 'up_a', 3, 1,"
                + " CASE WHEN i = 7 THEN 45 WHEN i % 2 = 0 THEN NULL ELSE 2.5 END, 9, 100"
                + " FROM generate_series(0, 1999) i");
        f.script(
                "INSERT INTO celery_pgmq.samples VALUES (timestamptz '2031-02-27 12:00:00Z', 'up_a', 3, 1, 999, 9, 1)");
        f.script("INSERT INTO celery_pgmq.samples (sampled_at, queue_name, queue_length, visible_length,"
                + " oldest_visible_age_sec, oldest_age_sec, total_messages)"
                + " SELECT timestamptz '2031-03-01 11:59:00Z' - i * interval '10 seconds', 'up_b', 3, 1,"
                + " CASE WHEN i = 3 THEN 31 WHEN i = 500 THEN 3600 ELSE 29.9 END, 9, 100"
                + " FROM generate_series(0, 999) i");
        for (String[] spec :
                new String[][] {{"up.a", "up_a"}, {"up.b", "up_b"}, {"up.lenient", "up_b"}, {"up.none", "up_none"}}) {
            f.ledger(
                    "id-" + spec[0], spec[0], "pgmq", spec[1], null, null, Instant.parse("2031-03-01T11:00:00Z"), true);
        }
    }

    private static CriterionResult criterion(String task, Criterion c) {
        return report.task(task).orElseThrow().criteria().stream()
                .filter(x -> x.criterion() == c)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void queueWaitPercentilesAreNearestRankOverVisibleToFirstReadWithEtaExcluded() {
        WaitStats w = report.task("lat.task").orElseThrow().waits();
        // waits: 0.5 s, 1..100 s, 500 s → n = 102; nearest rank: p50 = 51st = 50 s, p95 = 97th = 96 s, p99 = 101st.
        assertThat(w.measured()).isEqualTo(102);
        assertThat(w.p50()).isEqualTo(Duration.ofSeconds(50));
        assertThat(w.p95()).isEqualTo(Duration.ofSeconds(96));
        assertThat(w.p99()).isEqualTo(Duration.ofSeconds(100));
        assertThat(w.max()).isEqualTo(Duration.ofSeconds(500));
        assertThat(w.stillWaiting()).isEqualTo(1);
        assertThat(w.excludedRedelivered()).isEqualTo(1);
        // < 100 ms: none; 100–250 ms… 500 ms–1 s: 0.5 s; 1–2 s: 1 s; 2–5 s: 2,3,4 s; 5–10 s: 5..9; 10–30 s: 10..29;
        // 30–60 s: 30..59; 1–5 min: 60..100; ≥ 5 min: 500 s.
        assertThat(w.histogram()).containsExactly(0L, 0L, 0L, 1L, 1L, 3L, 5L, 20L, 30L, 41L, 1L);
        assertThat(w.histogram()).hasSize(WaitHistogram.BUCKETS);
        CriterionResult p95 = criterion("lat.task", Criterion.QUEUE_WAIT_P95);
        assertThat(p95.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(p95.value()).isEqualTo(96.0);
    }

    @Test
    void dlqRateIsDeadLetteredOverSentAndMustStayBelowTheLimit() {
        assertThat(criterion("rate.ok", Criterion.DLQ_RATE).value()).isEqualTo(0.5);
        assertThat(criterion("rate.ok", Criterion.DLQ_RATE).verdict()).isEqualTo(Verdict.PASS);
        assertThat(criterion("rate.bad", Criterion.DLQ_RATE).value()).isEqualTo(1.5);
        assertThat(criterion("rate.bad", Criterion.DLQ_RATE).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(criterion("rate.edge", Criterion.DLQ_RATE).value()).isEqualTo(1.0);
        assertThat(criterion("rate.edge", Criterion.DLQ_RATE).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(criterion("rate.ok", Criterion.ZERO_LOSS).verdict()).isEqualTo(Verdict.PASS);
        assertThat(criterion("rate.ok", Criterion.QUEUE_WAIT_P95).value()).isEqualTo(1.0);
    }

    @Test
    void uptimeIsTheShareOfWatchSamplesInTheWindowWithNothingVisibleForTheStallTime() {
        assertThat(criterion("up.a", Criterion.CONSUMER_UPTIME).value()).isEqualTo(99.95);
        assertThat(criterion("up.a", Criterion.CONSUMER_UPTIME).verdict()).isEqualTo(Verdict.PASS);
        assertThat(criterion("up.b", Criterion.CONSUMER_UPTIME).value()).isEqualTo(99.8);
        assertThat(criterion("up.b", Criterion.CONSUMER_UPTIME).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(criterion("up.lenient", Criterion.CONSUMER_UPTIME).value()).isEqualTo(100.0);
        assertThat(criterion("up.lenient", Criterion.CONSUMER_UPTIME).verdict()).isEqualTo(Verdict.PASS);
        assertThat(criterion("up.none", Criterion.CONSUMER_UPTIME).verdict()).isEqualTo(Verdict.NOT_MEASURED);
        TaskReport a = report.task("up.a").orElseThrow();
        assertThat(a.uptime().samples()).isEqualTo(2000);
        assertThat(a.uptime().worstAge()).isEqualTo(45.0);
    }

    @Test
    void theTimelineCountsSentAndFinishedMessagesPerBucketAndUsesTheSampledBacklog() {
        assertThat(report.timeline().step()).isEqualTo(Duration.ofMinutes(30));
        assertThat(report.timeline().enqueued().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isEqualTo(100 + 1 + 1 + 1 + 1 + 1300);
        assertThat(report.timeline().deadLettered().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isEqualTo(9);
        assertThat(report.timeline().backlogSampled()).isTrue();
    }
}
