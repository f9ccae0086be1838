package io.celerypgmq.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.bridge.move.InFlightList;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Crash points of a drain, reproduced by leaving Redis and Postgres exactly as a killed run would. */
@RealBackends
class DrainRecoveryTest {
    private static Harness h;

    @BeforeAll
    static void open(TestPostgres pg, TestRedis redis) {
        h = new Harness(pg, redis);
    }

    @AfterAll
    static void close() {
        h.close();
    }

    @BeforeEach
    void clean() {
        h.reset("moved");
    }

    private static DrainSpec spec() {
        return DrainSpec.of(List.of("celery"), "moved");
    }

    private List<String> push(int n) {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var m = Envelopes.task("tasks.add", i, i);
            tags.add(m.tag);
            h.lpush("celery", m.bytes());
        }
        return tags;
    }

    private ReplayReport drain(ReplayContext ctx, DrainSpec spec) {
        return new RedisToPgmqDrain(ctx, spec).run(new CancelToken(), Progress.NONE);
    }

    @Test
    void aBatchKilledAfterItsTakeIsFinishedByTheNextRun() {
        List<String> tags = push(12);
        ReplayContext ctx = h.context();
        InFlightList inFlight = DrainParts.inFlightOf(ctx, spec().effectiveJobId());
        inFlight.claim(List.of("celery"), 5); // killed right after the atomic take

        ReplayReport report = drain(ctx, spec());

        assertThat(report.resumed()).isEqualTo(5);
        assertThat(report.moved()).isEqualTo(12);
        assertThat(h.identitiesIn("moved")).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(tags);
        assertThat(inFlight.size()).isZero();
    }

    @Test
    void aBatchKilledAfterItsCommitIsNotSentAgain() {
        List<String> tags = push(6);
        ReplayContext ctx = h.context();
        DrainParts parts = DrainParts.wire(ctx, spec(), io.celerypgmq.bridge.route.RouteTable.celeryOnly());
        parts.inFlight().claim(List.of("celery"), 4);
        // The hand-off commits; the process dies before the in-flight list is emptied: the same batch, committed by
        // the job's own mover through a scratch copy of its in-flight list, leaves the job's list as it was.
        InFlightList scratch = new InFlightList(h.redis, "scratch-inflight");
        for (byte[] element : h.redis.lrange(parts.inFlight().key().getBytes(StandardCharsets.UTF_8), 0, -1)) {
            h.redis.rpush("scratch-inflight".getBytes(StandardCharsets.UTF_8), element);
        }
        try (var mover = parts.mover(scratch, io.celerypgmq.bridge.move.ForwardListener.NONE)) {
            assertThat(mover.redo().messages()).isEqualTo(4);
        }
        assertThat(parts.inFlight().size()).isEqualTo(4);

        ReplayReport report = drain(ctx, spec());

        assertThat(report.resumed()).isEqualTo(4);
        assertThat(report.duplicates()).isEqualTo(4);
        assertThat(report.moved()).isEqualTo(2);
        assertThat(report.jobTotal()).isEqualTo(6);
        assertThat(h.identitiesIn("moved")).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(tags);
    }

    @Test
    void anotherJobsInterruptedBatchIsAdoptedAndFinished() {
        List<String> tags = push(3);
        ReplayContext ctx = h.context();
        DrainSpec other = spec().withJobId("killed-job");
        new ReplayJobs(h.db)
                .begin("killed-job", ReplayKind.REDIS_TO_PGMQ, other.toJson(), "celery-pgmq:replay:killed-job:inflight")
                .close(); // its row says running, its lock is free: the process is gone
        DrainParts.inFlightOf(ctx, "killed-job").claim(List.of("celery"), 2);

        ReplayReport report = drain(ctx, spec());

        assertThat(report.resumed()).isEqualTo(2);
        assertThat(report.notes()).anyMatch(n -> n.contains("killed-job"));
        assertThat(h.identitiesIn("moved")).containsExactlyInAnyOrderElementsOf(tags);
        assertThat(h.strings("SELECT state FROM celery_pgmq.replay_jobs WHERE job_id = 'killed-job'"))
                .containsExactly("cancelled");
    }

    @Test
    void aJobRunningElsewhereRefusesToStartTwice() throws Exception {
        push(1);
        try (JobLease running =
                new ReplayJobs(h.db).begin(spec().effectiveJobId(), ReplayKind.REDIS_TO_PGMQ, "{}", "x")) {
            assertThatThrownBy(() -> drain(h.context(), spec()))
                    .isInstanceOf(JobBusyException.class)
                    .hasMessageContaining(running.jobId());
        }
        assertThat(h.llen("celery")).isEqualTo(1);
    }

    @Test
    void aCrashInsideTheHandOffLeavesTheBatchInFlightAndLosesNothing() throws Exception {
        List<String> tags = push(5);
        h.pgmq.create(QueueName.of("moved"));
        try (Connection c = h.db.getConnection();
                var s = c.createStatement()) {
            // Postgres refuses the batch's ledger rows for the duration of the first run.
            s.execute("ALTER TABLE celery_pgmq.ledger ADD CONSTRAINT refuse_for_test CHECK (task_name <> 'tasks.add')"
                    + " NOT VALID");
            try {
                assertThatThrownBy(() -> drain(h.context(), spec())).isInstanceOf(RuntimeException.class);
            } finally {
                s.execute("ALTER TABLE celery_pgmq.ledger DROP CONSTRAINT refuse_for_test");
            }
        }
        assertThat(h.llen("celery")
                        + DrainParts.inFlightOf(h.context(), spec().effectiveJobId())
                                .size())
                .isEqualTo(5);

        ReplayReport report = drain(h.context(), spec());

        assertThat(h.identitiesIn("moved")).containsExactlyInAnyOrderElementsOf(tags);
        assertThat(report.moved()).isEqualTo(5);
    }

    @Test
    void aGlobalKeyPrefixAndAnotherSeparatorAndStepsAreFollowed() {
        var p4 = Envelopes.task("tasks.add", 4).priority(4);
        var p0 = Envelopes.task("tasks.add", 0);
        var stale = Envelopes.task("tasks.add", 9);
        h.lpush("pfx:celery:4", p4.bytes());
        h.lpush("pfx:celery", p0.bytes());
        h.lpush("celery", stale.bytes()); // not under the prefix: another app's queue
        h.redis.hset(
                "pfx:unacked".getBytes(StandardCharsets.UTF_8),
                stale.tag.getBytes(StandardCharsets.UTF_8),
                Envelopes.task("tasks.add", 1).unackedValue());
        ReplayContext ctx = h.context(Map.of(
                "bridge.global-keyprefix", "pfx:",
                "bridge.priority-separator", ":",
                "bridge.priority-steps", "0,1,2,3,4,5,6,7,8,9"));

        ReplayReport report = drain(ctx, spec());

        assertThat(h.identitiesIn("moved")).containsExactlyInAnyOrder(p4.tag, p0.tag);
        assertThat(report.bySource()).containsOnlyKeys("pfx:celery", "pfx:celery:4");
        assertThat(h.llen("celery")).isEqualTo(1);
        assertThat(h.strings("SELECT (headers->>'x-celery-priority') FROM pgmq.q_moved ORDER BY 1"))
                .containsExactly("0", "4");
    }
}
