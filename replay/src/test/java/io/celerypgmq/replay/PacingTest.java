package io.celerypgmq.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rate limit, clean cancel and follow mode of a drain, on real Redis and Postgres. */
@RealBackends
class PacingTest {
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
    void fill() {
        h.reset("paced");
        for (int i = 0; i < 60; i++) {
            h.lpush("celery", Envelopes.task("tasks.add", i, i).bytes());
        }
    }

    @Test
    void theRateLimitHoldsTheDrainToTheAskedPace() {
        long start = System.nanoTime();
        ReplayReport report = new RedisToPgmqDrain(
                        h.context(), DrainSpec.of(List.of("celery"), "paced").withLimits(0, 10, 40))
                .run(new CancelToken(), Progress.NONE);
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(report.moved()).isEqualTo(60);
        // 40/s refills 4 permits every 100 ms: 60 messages cannot go in much under 1.4 s.
        assertThat(seconds).isGreaterThan(1.2);
    }

    @Test
    void aCancelFinishesTheBatchesInHandAndTheNextRunTheRest() {
        CancelToken cancel = new CancelToken();
        Progress cancelAfterFirstBatch = new Progress() {
            @Override
            public void expect(long total) {}

            @Override
            public void advance(long n) {
                cancel.cancel();
            }

            @Override
            public void close() {}
        };
        DrainSpec spec = DrainSpec.of(List.of("celery"), "paced").withLimits(0, 25, 0);

        ReplayReport stopped = new RedisToPgmqDrain(h.context(), spec).run(cancel, cancelAfterFirstBatch);

        // the pipeline finishes the batches in hand when the cancel came: the one committing, the one written behind
        // it and, if it was claimed already, the one read behind that; none is claimed after the cancel
        assertThat(stopped.state()).isEqualTo(JobState.CANCELLED);
        assertThat(stopped.moved()).isBetween(25L, 60L);
        assertThat(stopped.moved() % 25 == 0 || stopped.moved() == 60).isTrue();
        assertThat(stopped.clean()).isFalse();
        assertThat(h.llen("celery")).isEqualTo(60 - stopped.moved());
        assertThat(DrainParts.inFlightOf(h.context(), spec.effectiveJobId()).size())
                .isZero();
        assertThat(h.strings("SELECT state FROM celery_pgmq.replay_jobs")).containsExactly("cancelled");

        ReplayReport rest = new RedisToPgmqDrain(h.context(), spec).run(new CancelToken(), Progress.NONE);
        assertThat(rest.moved()).isEqualTo(60 - stopped.moved());
        assertThat(h.identitiesIn("paced")).hasSize(60).doesNotHaveDuplicates();
    }

    @Test
    void followKeepsTakingNewArrivalsUntilCancelled() throws Exception {
        CancelToken cancel = new CancelToken();
        DrainSpec follow = new DrainSpec(
                null,
                List.of("celery"),
                "paced",
                io.celerypgmq.bridge.route.PayloadFormat.TASK,
                true,
                true,
                false,
                null,
                ReplayFilter.ALL,
                0,
                0,
                0,
                true,
                false);
        Thread runner = new Thread(() -> new RedisToPgmqDrain(h.context(), follow).run(cancel, Progress.NONE));
        runner.start();
        try {
            org.awaitility.Awaitility.await()
                    .ignoreExceptions()
                    .until(() -> h.identitiesIn("paced").size() == 60);
            h.lpush("celery", Envelopes.task("tasks.add", "late").bytes());
            org.awaitility.Awaitility.await()
                    .ignoreExceptions()
                    .until(() -> h.identitiesIn("paced").size() == 61);
        } finally {
            cancel.cancel();
            runner.join(10_000);
        }

        assertThat(runner.isAlive()).isFalse();
        // Stopped with nothing left behind. Whether the cancel found the job idle (drained) or between a batch and the
        // next look at the source (cancelled) is a race the test cannot steer; what must hold is that it ended, moved
        // every message once, and left nothing in the source or its in-flight list.
        assertThat(h.strings("SELECT state FROM celery_pgmq.replay_jobs")).containsAnyOf("drained", "cancelled");
        assertThat(h.identitiesIn("paced")).hasSize(61).doesNotHaveDuplicates();
        assertThat(h.llen("celery")).isZero();
        List<String> inFlight = h.strings("SELECT inflight_key FROM celery_pgmq.replay_jobs");
        assertThat(inFlight).hasSize(1);
        assertThat(h.llen(inFlight.get(0))).isZero();
    }
}
