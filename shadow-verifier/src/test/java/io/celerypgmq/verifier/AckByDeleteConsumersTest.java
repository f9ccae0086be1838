package io.celerypgmq.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import io.celerypgmq.verifier.compare.CeleryResults;
import io.celerypgmq.verifier.compare.RedisResultBackend;
import io.celerypgmq.verifier.compare.ResultBackend;
import io.celerypgmq.verifier.criteria.Criterion;
import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.criteria.Gate;
import io.celerypgmq.verifier.criteria.Verdict;
import io.celerypgmq.verifier.reconcile.CompletionLog;
import io.celerypgmq.verifier.reconcile.EntryStatus;
import io.celerypgmq.verifier.report.Report;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * Consumers that ack by delete (Celery workers on pgmq://): deletes before tracking are unknown, never missing; the DLQ
 * rate needs Celery's results. Each test uses its own queue and task type.
 */
@RealBackends
class AckByDeleteConsumersTest {
    private static Fixture fixture;
    private static DataSource ds;

    @BeforeAll
    static void install(TestPostgres pg) {
        ds = pg.dataSource();
        fixture = Fixture.install(ds);
    }

    private static Report verify(String task, ResultBackend results) {
        return new Verifier(ds, VerifierSettings.defaults(), results, Clock.systemUTC())
                .run(VerifyRequest.everything().forTask(task));
    }

    private static CriterionResult criterion(Report r, String task, Criterion c) {
        return r.task(task).orElseThrow().criteria().stream()
                .filter(x -> x.criterion() == c)
                .findFirst()
                .orElseThrow();
    }

    private static void delete(String queue, long msgId) {
        fixture.sql("SELECT pgmq.delete(?::text, ?::bigint)", queue, msgId);
    }

    @Test
    void aMessageDeletedBeforeTrackingBeganIsUnknownSinceThenNeverMissing() {
        fixture.queue("late_q");
        long early = fixture.pgmq()
                .send(QueueName.of("late_q"), "{}", Fixture.headers("late-early", "late.task"), Delay.none());
        fixture.ledger(
                "late-early",
                "late.task",
                "pgmq",
                "late_q",
                early,
                null,
                Instant.now().minusSeconds(60),
                false);
        delete("late_q", early);
        CompletionLog.track(ds, List.of("late_q"), "x-celery-identity");
        delete("late_q", fixture.bridged("late_q", "late-tracked", "late.task"));

        Report r = verify("late.task", null);

        assertThat(r.missing()).isEmpty();
        assertThat(r.totals().of(EntryStatus.UNKNOWN)).isEqualTo(1);
        assertThat(r.totals().of(EntryStatus.DELETED)).isEqualTo(1);
        CriterionResult zeroLoss = criterion(r, "late.task", Criterion.ZERO_LOSS);
        assertThat(zeroLoss.verdict()).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(zeroLoss.measured()).isEqualTo("0 missing, 1 unknown of 2");
        assertThat(r.caveats())
                .anyMatch(c -> c.startsWith("1 entries sent to late_q before its deletes were logged (since ")
                        && c.contains("UNKNOWN, not MISSING"));
        assertThat(r.gate()).isEqualTo(Gate.INCOMPLETE);
    }

    @Test
    void deletesFromAQueueWithoutADlqLeaveTheDlqRateNotMeasuredWithoutCeleryResults() {
        fixture.queue("ackdel_q");
        CompletionLog.track(ds, List.of("ackdel_q"), "x-celery-identity");
        for (int i = 0; i < 3; i++) {
            delete("ackdel_q", fixture.bridged("ackdel_q", "ackdel-" + i, "ackdel.task"));
        }

        Report r = verify("ackdel.task", null);

        CriterionResult dlq = criterion(r, "ackdel.task", Criterion.DLQ_RATE);
        assertThat(dlq.verdict()).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(dlq.note())
                .contains("3 of 3 were deleted by their consumer from a queue without a DLQ")
                .contains("no Celery result backend configured");
        assertThat(criterion(r, "ackdel.task", Criterion.ZERO_LOSS).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void celeryResultsTellTheFailuresOfDeletedMessagesApartAndTheDlqRateCountsThem(TestRedis redis) {
        fixture.queue("ackres_q");
        CompletionLog.track(ds, List.of("ackres_q"), "x-celery-identity");
        String[] states = {"FAILURE", "SUCCESS", "SUCCESS", null};
        try (JedisPooled results = RedisConnections.open(redis.url())) {
            for (int i = 0; i < states.length; i++) {
                delete("ackres_q", fixture.bridged("ackres_q", "ackres-" + i, "ackres.task"));
                if (states[i] != null) {
                    results.set(
                            CeleryResults.DEFAULT_KEY_PREFIX + "tid-ackres-" + i,
                            "{\"status\": \"" + states[i] + "\", \"result\": null}");
                }
            }
        }

        Report r;
        try (RedisResultBackend backend = new RedisResultBackend(redis.url(), CeleryResults.DEFAULT_KEY_PREFIX)) {
            r = verify("ackres.task", backend);
        }

        CriterionResult dlq = criterion(r, "ackres.task", Criterion.DLQ_RATE);
        assertThat(dlq.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(dlq.measured()).isEqualTo("33.33 % (1 of 3)");
        assertThat(dlq.note())
                .isEqualTo("Celery results: 1 of 4 deleted entries failed; 1 without a final result left out");
    }

    @Test
    void aDeleteFromAQueueThatHasADlqStillMeansDone() {
        fixture.queue("withdlq_q");
        fixture.queue("withdlq_q_dlq");
        CompletionLog.track(ds, List.of("withdlq_q"), "x-celery-identity");
        delete("withdlq_q", fixture.bridged("withdlq_q", "withdlq-1", "withdlq.task"));

        CriterionResult dlq = criterion(verify("withdlq.task", null), "withdlq.task", Criterion.DLQ_RATE);

        assertThat(dlq.verdict()).isEqualTo(Verdict.PASS);
        assertThat(dlq.measured()).startsWith("0");
    }
}
