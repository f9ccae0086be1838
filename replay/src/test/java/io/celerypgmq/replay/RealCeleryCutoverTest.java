package io.celerypgmq.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import io.celerypgmq.testkit.celery.CallSpec;
import io.celerypgmq.testkit.celery.CeleryWorker;
import io.celerypgmq.testkit.celery.Execution;
import io.celerypgmq.testkit.celery.PublishOptions;
import io.celerypgmq.testkit.celery.PublishedCall;
import io.celerypgmq.testkit.celery.RealCelery;
import io.celerypgmq.testkit.celery.TransportOptions;
import io.celerypgmq.testkit.celery.WorkerOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Cutover with real leftovers: a real Celery 5.2 worker holding prefetched and ETA tasks is SIGKILLed; what it held
 * sits in {@code unacked}, more tasks wait in the ready and priority lists. The drain leaves the dead worker's entries
 * while they are younger than the visibility timeout, then moves every leftover into pgmq exactly once, ETAs as delays.
 */
@RealBackends
class RealCeleryCutoverTest {
    private static final String P6 = "celery\u0006\u00166";
    private static final String P9 = "celery\u0006\u00169";

    @Test
    void aKilledWorkersUnackedTasksAndTheListsReachPgmqExactlyOnceWithTheirEtas(TestPostgres pg, TestRedis backend)
            throws Exception {
        RealCelery celery = RealCelery.require();
        try (Harness h = new Harness(pg, backend)) {
            h.reset("cutover");
            TransportOptions shortVisibility = TransportOptions.defaults().withVisibilityTimeout(3);
            PublishOptions publish = PublishOptions.defaults().withTransport(shortVisibility);
            List<CallSpec> calls = new ArrayList<>();
            IntStream.range(0, 4)
                    .forEach(i ->
                            calls.add(CallSpec.task("tasks.record", "eta", i).countdown(3600)));
            // Big bodies keep the (solo) worker decoding each for a while, with the message in unacked meanwhile.
            List<Integer> big = IntStream.range(0, 200_000).boxed().toList();
            IntStream.range(0, 3).forEach(i -> calls.add(CallSpec.task("tasks.tsum", big)));
            IntStream.range(0, 300).forEach(i -> calls.add(CallSpec.task("tasks.add", i, i)));
            List<PublishedCall> published = new ArrayList<>(celery.publish(backend.url(), calls, publish));

            List<Execution> ran;
            try (CeleryWorker worker = celery.startWorker(
                    backend.url(),
                    WorkerOptions.defaults()
                            .withTransport(shortVisibility)
                            .withSetting("task_acks_late", true)
                            .withSetting("worker_prefetch_multiplier", 4))) {
                worker.awaitExecutions(1, Duration.ofSeconds(60));
                // Kill while it holds more than the ETA tasks: prefetched ones (acks_late: the running one too).
                org.awaitility.Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> h.redis.hlen("unacked") > 4);
                worker.kill();
                ran = worker.executions();
            }
            published.addAll(celery.publish(
                    backend.url(),
                    List.of(
                            CallSpec.task("tasks.add", 9, 9).priority(9),
                            CallSpec.task("tasks.add", 6, 6).priority(6),
                            CallSpec.task("tasks.mul", 7, 7).priority(7)),
                    publish));

            Set<String> leftovers = leftoverTags(h);
            Set<String> unacked = h.redis.hkeys("unacked");
            assertThat(unacked)
                    .as(
                            "the dead worker's ETA and prefetched tasks (ran %d, %d still ready)",
                            ran.size(), h.llen("celery"))
                    .hasSizeGreaterThan(4);
            assertThat(h.llen(P6) + h.llen(P9)).isEqualTo(3);

            DrainSpec spec = DrainSpec.of(List.of("celery"), "cutover");
            ReplayReport early = run(h, spec.withVisibilityTimeout(Duration.ofSeconds(60)));
            assertThat(early.left())
                    .containsEntry(
                            "unacked entry delivered within the visibility timeout (60 s)", (long) unacked.size());
            assertThat(h.redis.hkeys("unacked")).isEqualTo(unacked);

            Thread.sleep(3100); // the worker's visibility timeout passes: kombu itself would now restore them
            ReplayReport late = run(h, spec.withVisibilityTimeout(Duration.ofSeconds(3)));

            List<String> inPgmq = h.identitiesIn("cutover");
            assertThat(inPgmq).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(leftovers);
            assertThat(h.redis.hlen("unacked")).isZero();
            assertThat(h.redis.zcard("unacked_index")).isZero();
            assertThat(h.llen("celery") + h.llen(P6) + h.llen(P9)).isZero();
            assertThat(late.clean()).isTrue();
            assertThat(early.moved() + late.moved()).isEqualTo(leftovers.size());

            Set<String> accounted = new HashSet<>(h.strings("SELECT task_id FROM celery_pgmq.ledger"));
            ran.forEach(e -> accounted.add(e.id()));
            assertThat(accounted)
                    .as("every published task either ran before the kill or is in pgmq")
                    .containsAll(
                            published.stream().map(PublishedCall::messageId).toList());

            List<String> etaDelays = h.strings("SELECT (abs(extract(epoch FROM vt - (headers->>'x-celery-eta')"
                    + "::timestamptz)) < 0.001)::text FROM pgmq.q_cutover WHERE headers->>'x-celery-eta' IS NOT NULL");
            assertThat(etaDelays).hasSize(4).containsOnly("true");
            assertThat(late.delayed()).isEqualTo(4);
            assertThat(h.count("SELECT count(*) FROM pgmq.q_cutover WHERE vt > now() + interval '59 minutes'"))
                    .as("the ETA tasks stay invisible for the hour they were scheduled")
                    .isEqualTo(4);
        }
    }

    private static ReplayReport run(Harness h, DrainSpec spec) {
        return new RedisToPgmqDrain(h.context(), spec).run(new CancelToken(), Progress.NONE);
    }

    /** The delivery tag of every Celery message left in Redis: lists, priority lists and unacked. */
    private static Set<String> leftoverTags(Harness h) {
        Set<String> tags = new HashSet<>(h.redis.hkeys("unacked"));
        for (String key : List.of("celery", P6, P9, "celery\u0006\u00163")) {
            h.redis.lrange(key.getBytes(StandardCharsets.UTF_8), 0, -1).forEach(raw -> tags.add(Envelopes.tagOf(raw)));
        }
        return tags;
    }
}
