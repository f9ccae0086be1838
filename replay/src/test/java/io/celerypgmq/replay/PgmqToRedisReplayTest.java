package io.celerypgmq.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.celerypgmq.bridge.move.ReverseMover;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rollback from pgmq into Celery lists on real Redis and Postgres: once only, archived after the push. */
@RealBackends
class PgmqToRedisReplayTest {
    private static Harness h;
    private List<String> tags;

    @BeforeAll
    static void open(TestPostgres pg, TestRedis redis) {
        h = new Harness(pg, redis);
    }

    @AfterAll
    static void close() {
        h.close();
    }

    /** Five messages in pgmq queue {@code rb}, put there by a drain, as a cutover would have. */
    @BeforeEach
    void fill() {
        h.reset("rb", "rb_dlq");
        tags = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            var m = Envelopes.task(i < 3 ? "tasks.add" : "tasks.mul", i, i).priority(i == 4 ? 9 : 0);
            tags.add(m.tag);
            h.lpush(i == 4 ? "celery\u0006\u00169" : "celery", m.bytes());
        }
        new RedisToPgmqDrain(h.context(), DrainSpec.of(List.of("celery"), "rb")).run(new CancelToken(), Progress.NONE);
        assertThat(h.llen("celery")).isZero();
    }

    private ReplayReport rollBack(ReverseSpec spec) {
        return new PgmqToRedisReplay(h.context(), spec).run(new CancelToken(), Progress.NONE);
    }

    private List<String> celeryTags(String key) {
        return h.redis.lrange(key.getBytes(StandardCharsets.UTF_8), 0, -1).stream()
                .map(Envelopes::tagOf)
                .toList();
    }

    @Test
    void movesTheQueueAndItsDlqBackOnceEachAndArchivesThem() {
        h.pgmq.create(QueueName.of("rb_dlq"));
        h.sql("INSERT INTO pgmq.q_rb_dlq (vt, message, headers) SELECT vt, message, headers FROM pgmq.q_rb"
                + " WHERE msg_id = (SELECT min(msg_id) FROM pgmq.q_rb)");
        h.sql("DELETE FROM pgmq.q_rb WHERE msg_id = (SELECT min(msg_id) FROM pgmq.q_rb)");

        ReplayReport report = rollBack(ReverseSpec.of("rb").withDlq(true));

        List<String> back = new ArrayList<>(celeryTags("celery"));
        back.addAll(celeryTags("celery\u0006\u00169"));
        // A message going back to Celery is a new publish: a new delivery tag each, none of the originals.
        assertThat(back).hasSize(5).doesNotHaveDuplicates().doesNotContainAnyElementsOf(tags);
        assertThat(celeryTags("celery\u0006\u00169")).hasSize(1);
        assertThat(h.count("SELECT count(*) FROM pgmq.q_rb") + h.count("SELECT count(*) FROM pgmq.q_rb_dlq"))
                .isZero();
        assertThat(h.count("SELECT count(*) FROM pgmq.a_rb") + h.count("SELECT count(*) FROM pgmq.a_rb_dlq"))
                .isEqualTo(5);
        assertThat(report.moved()).isEqualTo(5);
        assertThat(report.bySource()).containsEntry("pgmq:rb_dlq", 1L);
        assertThat(report.byTask()).containsEntry("tasks.add", 3L).containsEntry("tasks.mul", 2L);
        assertThat(report.clean()).isTrue();
    }

    @Test
    void aMessagePushedBeforeACrashIsArchivedButNotPushedAgain() {
        long first = h.count("SELECT min(msg_id) FROM pgmq.q_rb");
        h.redis.set(ReverseMover.markerKey("rb", first), "1"); // pushed, then killed before the archive

        ReplayReport report = rollBack(ReverseSpec.of("rb"));

        assertThat(celeryTags("celery").size()
                        + celeryTags("celery\u0006\u00169").size())
                .isEqualTo(4);
        assertThat(report.duplicates()).isEqualTo(1);
        assertThat(report.moved()).isEqualTo(4);
        assertThat(report.jobTotal()).isEqualTo(5);
        assertThat(h.count("SELECT count(*) FROM pgmq.q_rb")).isZero();
    }

    @Test
    void messagesAConsumerHoldsStayAndTheReportSaysSo() {
        h.pgmq.read(QueueName.of("rb"), 60, 2);

        ReplayReport report = rollBack(ReverseSpec.of("rb"));

        assertThat(report.moved()).isEqualTo(3);
        assertThat(report.left())
                .containsEntry("held by a pgmq consumer (read, visibility timeout not passed): rb", 2L);
        assertThat(report.clean()).isFalse();
        assertThat(h.count("SELECT count(*) FROM pgmq.q_rb")).isEqualTo(2);
    }

    @Test
    void aMessageThatCannotBecomeACeleryMessageIsQuarantinedNotPushed() {
        h.pgmq.send(QueueName.of("rb"), "{\"no\": \"task here\"}");

        ReplayReport report = rollBack(ReverseSpec.of("rb"));

        assertThat(report.moved()).isEqualTo(5);
        assertThat(report.quarantined()).isEqualTo(1);
        assertThat(report.failures()).containsEntry("UNREVERSIBLE", 1L);
        assertThat(h.strings("SELECT source_key FROM celery_pgmq.quarantine")).containsExactly("pgmq:rb");
        assertThat(h.count("SELECT count(*) FROM pgmq.q_rb")).isZero();
    }

    @Test
    void aTaskFilterMovesOnlyWhatItSelects() {
        ReplayReport report =
                rollBack(ReverseSpec.of("rb").withFilter(new ReplayFilter(List.of("*.mul"), Set.of(), null)));

        assertThat(report.moved()).isEqualTo(2);
        assertThat(report.skipped()).containsEntry("not selected by --task/--task-id", 3L);
        assertThat(h.count("SELECT count(*) FROM pgmq.q_rb")).isEqualTo(3);
        assertThat(h.strings("SELECT DISTINCT headers->>'x-celery-task' FROM pgmq.q_rb"))
                .containsExactly("tasks.add");
    }

    @Test
    void aMessageRolledBackAndDrainedAgainReachesPgmqAgainUnderANewTag() {
        ReplayReport back = rollBack(ReverseSpec.of("rb"));
        assertThat(back.moved()).isEqualTo(5);
        List<String> returnedTags = new ArrayList<>(celeryTags("celery"));
        returnedTags.addAll(celeryTags("celery\u0006\u00169"));
        assertThat(returnedTags)
                .as("the rollback gave every message a new delivery tag")
                .hasSize(5)
                .doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(tags);

        DrainSpec again = DrainSpec.of(List.of("celery"), "rb");
        ReplayReport preview =
                new RedisToPgmqDrain(h.context(), again.withDryRun(true)).run(new CancelToken(), Progress.NONE);
        ReplayReport drained = new RedisToPgmqDrain(h.context(), again).run(new CancelToken(), Progress.NONE);

        assertThat(preview.moved()).isEqualTo(5);
        assertThat(drained.moved()).isEqualTo(5);
        assertThat(drained.duplicates()).isZero();
        assertThat(h.llen("celery") + h.llen("celery\u0006\u00169")).isZero();
        List<String> pending = h.strings("SELECT headers->>'x-celery-identity' FROM pgmq.q_rb");
        assertThat(pending).hasSize(5).doesNotHaveDuplicates().doesNotContainAnyElementsOf(tags);
        assertThat(h.strings("SELECT headers->>'x-celery-task' FROM pgmq.q_rb"))
                .containsExactlyInAnyOrder("tasks.add", "tasks.add", "tasks.add", "tasks.mul", "tasks.mul");
        assertThat(h.count("SELECT count(*) FROM celery_pgmq.ledger")).isEqualTo(10);
    }

    @Test
    void aFailedPushRollsBackItsBatchAndReleasesTheOneTakenBehindIt() {
        List<String> before = h.strings("SELECT msg_id || ':' || read_ct || ':' || vt FROM pgmq.q_rb ORDER BY msg_id");
        h.redis.set("celery", "not a list"); // the push of the first batch fails while the second is locked

        Throwable failed = catchThrowable(() -> rollBack(ReverseSpec.of("rb").withLimits(0, 2, 0)));

        assertThat(failed).hasStackTraceContaining("not a Celery list");
        assertThat(h.strings("SELECT msg_id || ':' || read_ct || ':' || vt FROM pgmq.q_rb ORDER BY msg_id"))
                .isEqualTo(before);
        assertThat(h.redis.keys(ReverseMover.MARKER_PREFIX + "*")).isEmpty();
        // no batch is still locked: every row can be locked at once without waiting
        assertThat(h.count("SELECT count(*) FROM (SELECT 1 FROM pgmq.q_rb FOR UPDATE NOWAIT) AS l"))
                .isEqualTo(5);

        h.redis.del("celery");
        assertThat(rollBack(ReverseSpec.of("rb").withLimits(0, 2, 0)).moved()).isEqualTo(5);
        assertThat(h.count("SELECT count(*) FROM pgmq.q_rb")).isZero();
    }

    @Test
    void aDryRunCountsWithoutPushingArchivingOrMarking() {
        List<String> before = h.strings("SELECT msg_id || ':' || read_ct || ':' || vt FROM pgmq.q_rb ORDER BY msg_id");

        ReplayReport report = rollBack(ReverseSpec.of("rb").withDryRun(true));

        assertThat(report.state()).isEqualTo(JobState.DRY_RUN);
        assertThat(report.moved()).isEqualTo(5);
        assertThat(report.byDestination()).containsEntry("celery", 4L).containsEntry("celery\\x06\\x169", 1L);
        assertThat(h.strings("SELECT msg_id || ':' || read_ct || ':' || vt FROM pgmq.q_rb ORDER BY msg_id"))
                .isEqualTo(before);
        assertThat(h.redis.keys("*")).isEmpty();
        assertThat(h.count("SELECT count(*) FROM celery_pgmq.replay_jobs WHERE kind = 'pgmq-to-redis'"))
                .isZero();
    }

    @Test
    void aRollbackInBatchesOfTwoMovesEachSelectedMessageOnceAndCountsWhatItSkips() {
        ReplayReport report = rollBack(ReverseSpec.of("rb")
                .withFilter(new ReplayFilter(List.of("*.add"), Set.of(), null))
                .withLimits(0, 2, 0));

        assertThat(report.moved()).isEqualTo(3);
        assertThat(report.skipped()).containsEntry("not selected by --task/--task-id", 2L);
        assertThat(celeryTags("celery")).hasSize(3).doesNotHaveDuplicates();
        assertThat(h.count("SELECT count(*) FROM pgmq.a_rb")).isEqualTo(3);
        assertThat(h.count("SELECT count(*) FROM pgmq.q_rb")).isEqualTo(2);
    }

    @Test
    void aLimitStopsThePipelinedRollbackAtExactlyThatMany() {
        ReplayReport report = rollBack(ReverseSpec.of("rb").withLimits(3, 2, 0));

        assertThat(report.moved()).isEqualTo(3);
        assertThat(report.state()).isEqualTo(JobState.LIMIT_REACHED);
        assertThat(h.count("SELECT count(*) FROM pgmq.a_rb")).isEqualTo(3);
        assertThat(h.count("SELECT count(*) FROM pgmq.q_rb")).isEqualTo(2);
    }
}
