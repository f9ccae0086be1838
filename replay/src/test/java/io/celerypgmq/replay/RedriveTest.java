package io.celerypgmq.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redrive from a pgmq dead-letter queue, on real Postgres (and Redis for the Celery side). */
@RealBackends
class RedriveTest {
    private static Harness h;

    @BeforeAll
    static void open(TestPostgres pg, TestRedis redis) {
        h = new Harness(pg, redis);
    }

    @AfterAll
    static void close() {
        h.close();
    }

    /** Three dead letters in {@code jobs_dlq}, each read twice by a consumer that gave up on it. */
    @BeforeEach
    void fill() {
        h.reset("jobs", "jobs_dlq");
        for (int i = 0; i < 3; i++) {
            var m = Envelopes.task(i == 0 ? "reports.daily" : "tasks.add", i, i);
            h.lpush("celery", m.bytes());
        }
        new RedisToPgmqDrain(h.context(), DrainSpec.of(List.of("celery"), "jobs_dlq"))
                .run(new CancelToken(), Progress.NONE);
        h.sql("UPDATE pgmq.q_jobs_dlq SET read_ct = 2");
    }

    private ReplayReport redrive(RedriveSpec spec) {
        return new Redrive(h.context(), spec).run(new CancelToken(), Progress.NONE);
    }

    @Test
    void movesDeadLettersBackToTheirQueueAndLogsEachMove() {
        List<String> identities = h.identitiesIn("jobs_dlq");

        ReplayReport report = redrive(RedriveSpec.of("jobs"));

        assertThat(report.moved()).isEqualTo(3);
        assertThat(h.strings("SELECT headers->>'x-celery-identity' FROM pgmq.q_jobs"))
                .containsExactlyInAnyOrderElementsOf(identities);
        assertThat(h.strings("SELECT (headers->'x-celery-pgmq-redrive'->>'read_ct') FROM pgmq.q_jobs"))
                .containsOnly("2");
        assertThat(h.count("SELECT count(*) FROM pgmq.q_jobs_dlq")).isZero();
        assertThat(h.count("SELECT count(*) FROM pgmq.a_jobs_dlq")).isEqualTo(3);
        assertThat(h.count("SELECT count(*) FROM celery_pgmq.redrive_log l JOIN pgmq.q_jobs q ON q.msg_id ="
                        + " l.to_msg_id JOIN pgmq.a_jobs_dlq a ON a.msg_id = l.from_msg_id WHERE l.to_target = 'jobs'"
                        + " AND l.read_ct = 2 AND l.identity = q.headers->>'x-celery-identity'"))
                .isEqualTo(3);
        assertThat(report.jobTotal()).isEqualTo(3);
    }

    @Test
    void redrivesOnlyTheSelectedTaskTypeToCelery() {
        ReplayReport report = redrive(new RedriveSpec(
                null,
                "jobs_dlq",
                null,
                "celery",
                new ReplayFilter(List.of("reports.*"), Set.of(), null),
                0,
                0,
                0,
                false));

        assertThat(report.moved()).isEqualTo(1);
        assertThat(h.llen("celery")).isEqualTo(1);
        assertThat(h.count("SELECT count(*) FROM pgmq.q_jobs_dlq")).isEqualTo(2);
        assertThat(h.strings("SELECT to_target || ' ' || task_name FROM celery_pgmq.redrive_log"))
                .containsExactly("celery:celery reports.daily");
    }

    @Test
    void aDryRunMovesNothing() {
        ReplayReport report = redrive(RedriveSpec.of("jobs").withDryRun(true));

        assertThat(report.moved()).isEqualTo(3);
        assertThat(report.state()).isEqualTo(JobState.DRY_RUN);
        assertThat(h.count("SELECT count(*) FROM pgmq.q_jobs_dlq")).isEqualTo(3);
        assertThat(h.count("SELECT count(*) FROM celery_pgmq.redrive_log")).isZero();
        assertThat(h.strings("SELECT to_regclass('pgmq.q_jobs')::text")).containsExactly((String) null);
    }

    @Test
    void aDlqThatDoesNotExistIsNothingToDo() {
        ReplayReport report = redrive(RedriveSpec.of("nothing_here"));

        assertThat(report.moved()).isZero();
        assertThat(report.clean()).isTrue();
        h.pgmq.dropQueue(QueueName.of("nothing_here"));
    }
}
