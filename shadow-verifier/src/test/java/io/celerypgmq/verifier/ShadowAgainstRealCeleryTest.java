package io.celerypgmq.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import io.celerypgmq.testkit.celery.CallSpec;
import io.celerypgmq.testkit.celery.CeleryWorker;
import io.celerypgmq.testkit.celery.PublishOptions;
import io.celerypgmq.testkit.celery.PublishedCall;
import io.celerypgmq.testkit.celery.RealCelery;
import io.celerypgmq.testkit.celery.WorkerOptions;
import io.celerypgmq.verifier.compare.CeleryResults;
import io.celerypgmq.verifier.compare.CeleryState;
import io.celerypgmq.verifier.compare.ComparisonRow;
import io.celerypgmq.verifier.compare.Mismatch;
import io.celerypgmq.verifier.criteria.Criterion;
import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.criteria.Verdict;
import io.celerypgmq.verifier.reconcile.DlqConvention;
import io.celerypgmq.verifier.reconcile.EntryStatus;
import io.celerypgmq.verifier.report.Report;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** Dual run against a real Celery worker whose results land in the Redis result backend. */
@RealBackends
class ShadowAgainstRealCeleryTest {
    private static final Duration WAIT = Duration.ofSeconds(40);

    @Test
    void aTaskThatSucceedsOnCeleryButDeadLettersOnPgmqIsAMismatch(TestPostgres pg, TestRedis redis)
            throws InterruptedException {
        RealCelery celery = RealCelery.require();
        List<PublishedCall> calls = celery.publish(
                redis.url(),
                List.of(
                        CallSpec.task("tasks.add", 2, 3),
                        CallSpec.task("tasks.fail"),
                        CallSpec.task("tasks.add", 1, 1)),
                PublishOptions.defaults());
        String succeeds = calls.get(0).messageId();
        String fails = calls.get(1).messageId();
        String agrees = calls.get(2).messageId();
        try (CeleryWorker worker = celery.startWorker(redis.url(), WorkerOptions.defaults())) {
            worker.awaitExecutionsOf(List.of(succeeds, fails, agrees), WAIT);
            awaitResults(worker, List.of(succeeds, fails, agrees));
        }

        Fixture f = Fixture.install(pg.dataSource());
        f.queue("shadow_q");
        f.queue("shadow_q_dlq");
        shadowCopy(f, "sh-1", "tasks.add", succeeds, "KeyError: 'email'");
        shadowCopy(f, "sh-2", "tasks.fail", fails, "ValueError: tasks.fail always fails");
        long archived = shadowCopy(f, "sh-3", "tasks.add", agrees, null);
        f.pgmq().archive(QueueName.of("shadow_q"), archived);
        f.ledger("sh-4", "tasks.add", "shadow", "shadow_q", null, null, Instant.now(), true);

        Report r;
        try (JedisPooled results = RedisConnections.open(redis.url())) {
            CeleryResults backend = new CeleryResults(
                    results, CeleryResults.DEFAULT_KEY_PREFIX, redis.url().masked());
            r = new Verifier(pg.dataSource(), VerifierSettings.defaults(), backend, Clock.systemUTC())
                    .run(VerifyRequest.everything());
        }

        ComparisonRow add = r.task("tasks.add").orElseThrow().shadow();
        assertThat(add.shadowCopies()).isEqualTo(3);
        assertThat(add.compared()).isEqualTo(2);
        assertThat(add.matches()).isEqualTo(1);
        assertThat(add.mismatches()).isEqualTo(1);
        assertThat(add.noCeleryResult())
                .as("sh-4's task id was never run by Celery")
                .isEqualTo(1);
        Mismatch m = add.examples().get(0);
        assertThat(m.taskId()).isEqualTo(succeeds);
        assertThat(m.celery()).isEqualTo(CeleryState.SUCCESS);
        assertThat(m.pgmq()).isEqualTo(EntryStatus.DEAD_LETTERED);
        assertThat(m.detail()).isEqualTo("KeyError: 'email'");
        assertThat(verdict(r, "tasks.add")).isEqualTo(Verdict.FAIL);

        ComparisonRow fail = r.task("tasks.fail").orElseThrow().shadow();
        assertThat(fail.compared()).isEqualTo(1);
        assertThat(fail.matches())
                .as("FAILURE on Celery, dead-lettered on PGMQ")
                .isEqualTo(1);
        assertThat(verdict(r, "tasks.fail")).isEqualTo(Verdict.PASS);
    }

    /** Sends the shadow copy; when {@code error} is set, dead-letters it seed style (copy to the DLQ, delete). */
    private static long shadowCopy(Fixture f, String identity, String task, String taskId, String error) {
        long id = f.pgmq().send(QueueName.of("shadow_q"), "{}", Fixture.headers(identity, task), Delay.none());
        f.sql(
                "INSERT INTO celery_pgmq.ledger (identity, task_id, task_name, source_key, route, pgmq_queue,"
                        + " pgmq_msg_id, instance) VALUES (?, ?, ?, 'celery', 'shadow', 'shadow_q', ?, 'test')",
                identity,
                taskId,
                task,
                id);
        if (error != null) {
            f.pgmq()
                    .send(
                            QueueName.of("shadow_q_dlq"),
                            "{}",
                            DlqConvention.defaults().headersFor("shadow_q", id, identity, error),
                            Delay.none());
            f.pgmq().delete(QueueName.of("shadow_q"), id);
        }
        return id;
    }

    private static Verdict verdict(Report r, String task) {
        return r.task(task).orElseThrow().criteria().stream()
                .filter(c -> c.criterion() == Criterion.SHADOW_AGREEMENT)
                .map(CriterionResult::verdict)
                .findFirst()
                .orElseThrow();
    }

    private static void awaitResults(CeleryWorker worker, List<String> ids) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!ids.stream()
                .allMatch(id -> worker.result(id).map(res -> isFinal(res)).orElse(false))) {
            assertThat(Instant.now())
                    .as("results stored by the worker; log:%n%s", worker.log())
                    .isBefore(deadline);
            Thread.sleep(50);
        }
    }

    private static boolean isFinal(Map<String, Object> result) {
        return CeleryState.parse(String.valueOf(result.get("status"))).isFinal();
    }
}
