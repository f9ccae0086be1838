package io.celerypgmq.testkit.celery;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.config.RedisUrl;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestRedis;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One real producer run and one real worker for the whole class; each test checks one part of what happened. */
@RealBackends
class RealCeleryDriverTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static List<PublishedCall> published;
    private static CeleryWorker worker;
    private static List<Execution> executions;

    @BeforeAll
    static void publishAMatrixAndRunItOnOneWorker(TestRedis redis) {
        RedisUrl broker = redis.url();
        RealCelery celery = RealCelery.require();
        published = celery.publish(
                broker,
                List.of(
                        CallSpec.task("tasks.add", 2, 3).headers(Map.of("x-tenant", "acme")),
                        CallSpec.task(
                                        "tasks.echo",
                                        List.of("b\u00e4r \uD83C\uDF89", 1L << 40, 1.5, new byte[] {7}),
                                        Map.of("k", List.of(1, Map.of("n", true))))
                                .priority(7)
                                .serializer("msgpack")
                                .compression("gzip"),
                        CallSpec.task("tasks.echo", new byte[] {0, 1, 2}),
                        CallSpec.task(
                                        "tasks.echo",
                                        TypedJson.PyTuple.of(
                                                new byte[] {9}, OffsetDateTime.parse("2030-01-01T12:00:00+00:00")))
                                .serializer("pickle"),
                        CallSpec.chain(Signature.of("tasks.add", 1, 2), Signature.of("tasks.add", 3))
                                .queue("other"),
                        CallSpec.task("tasks.record", "countdown").countdown(2)),
                PublishOptions.defaults());
        worker = celery.startWorker(broker, WorkerOptions.defaults().withQueues("celery", "other"));
        executions = worker.awaitExecutions(6, WAIT);
    }

    @AfterAll
    static void stopTheWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void aTaskRunsWithTheArgumentsAndCustomHeadersItWasPublishedWith() {
        Execution add = executionOf(published.get(0).messageId());

        assertThat(add.task()).isEqualTo("tasks.add");
        assertThat(add.args()).containsExactly(2L, 3L);
        assertThat(add.headers()).containsEntry("x-tenant", "acme");
        assertThat(worker.result(add.id()))
                .hasValueSatisfying(result ->
                        assertThat(result).containsEntry("status", "SUCCESS").containsEntry("result", 5L));
    }

    @Test
    void unicodeLongsBytesAndNestingSurviveMsgpackAndGzipIntoTheTask() {
        Execution echo = executionOf(published.get(1).messageId());

        assertThat(echo.args()).containsExactly("b\u00e4r \uD83C\uDF89", 1L << 40, 1.5, new byte[] {7});
        assertThat(echo.kwargs()).isEqualTo(Map.of("k", List.of(1L, Map.of("n", true))));
        assertThat(echo.priority()).isEqualTo(7);
    }

    @Test
    void aPublishCeleryRefusesIsReportedWithoutHidingTheCallsAfterIt() {
        assertThat(published.get(2).failed()).isTrue();
        assertThat(published.get(2).error()).contains("EncodeError");
        assertThat(published.get(3).failed()).isFalse();
    }

    @Test
    void pickleCarriesBytesTuplesAndDatetimesIntoTheTask() {
        Execution echo = executionOf(published.get(3).messageId());

        assertThat(echo.args()).hasSize(1);
        @SuppressWarnings("unchecked")
        List<Object> tuple = (List<Object>) echo.args().get(0);
        assertThat((byte[]) tuple.get(0)).containsExactly(9);
        assertThat(tuple.get(1)).isEqualTo(OffsetDateTime.parse("2030-01-01T12:00:00+00:00"));
    }

    @Test
    void aChainPublishesItsFirstStepAndTheWorkerRunsTheRestOnTheSameQueue() {
        PublishedCall chain = published.get(4);
        Execution first = executionOf(chain.messageId());
        Execution second = executionOf(chain.resultId());

        assertThat(first.routingKey()).isEqualTo("other");
        assertThat(second.args()).containsExactly(3L, 3L);
        assertThat(second.parentId()).isEqualTo(first.id());
    }

    @Test
    void aCountdownBecomesAnEtaTheWorkerWaitsFor() {
        PublishedCall countdown = published.get(5);
        Execution record = executionOf(countdown.messageId());
        OffsetDateTime eta = OffsetDateTime.parse(record.eta());

        assertThat(eta.toInstant())
                .isBetween(
                        countdown.publishedAfter().plusSeconds(2),
                        countdown.publishedBefore().plusSeconds(2));
        assertThat(record.executedAt()).isAfterOrEqualTo(eta.toInstant().minusMillis(5));
    }

    private static Execution executionOf(String id) {
        List<Execution> all = worker.awaitExecutionsOf(List.of(id), WAIT);
        return all.stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
    }
}
