package io.celerypgmq.bridge.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.CeleryTime;
import io.celerypgmq.bridge.codec.Compression;
import io.celerypgmq.bridge.codec.EncodeTarget;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.codec.Serializer;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestRedis;
import io.celerypgmq.testkit.celery.CeleryWorker;
import io.celerypgmq.testkit.celery.Execution;
import io.celerypgmq.testkit.celery.RealCelery;
import io.celerypgmq.testkit.celery.WorkerOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The Java encoder writes a matrix of messages into Redis, each LPUSHed to the list {@link PriorityKeys} names for its
 * queue and priority; ONE real Celery 5.2 worker then runs all of them, and each task records what it received.
 */
@RealBackends
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaEncoderToCeleryWorkerInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Set<String> SUBSET = Set.of(
            "add(2, 3)",
            "unicode and astral strings",
            "floats",
            "nested structures",
            "a 100 KB unicode string",
            "retries 5",
            "an eta 4 s ahead in UTC",
            "priority 7",
            "custom headers",
            "a link that receives the parent's result");

    /** How a group of messages is written; {@code only} limits it to some cases (null: all). */
    record Variant(String name, int protocol, Serializer serializer, Compression compression, Set<String> only) {
        EncodeTarget target(String queue, Integer priority) {
            return new EncodeTarget(queue, priority, protocol, serializer, compression, java.util.UUID::randomUUID);
        }
    }

    record Written(Variant variant, EncoderMatrix.Case matrixCase, String key) {}

    private final List<Written> written = new ArrayList<>();
    private CeleryWorker worker;
    private List<Execution> executions;

    /** The Celery whose worker runs the encoded messages ({@link Celery56WorkerRunsJavaEncodedMessagesTest}: 5.6). */
    RealCelery celery() {
        return RealCelery.require();
    }

    @BeforeAll
    void encodeTheMatrixAndRunItOnOneRealWorker(TestRedis redis) {
        RealCelery celery = celery();
        CeleryCodec codec = CeleryCodec.withDefaults();
        PriorityKeys keys = codec.options().priorityKeys();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Variant> variants = List.of(
                new Variant("protocol 2, json", 2, Serializer.JSON, null, null),
                new Variant("protocol 1, json (for old workers)", 1, Serializer.JSON, null, null),
                new Variant("protocol 2, msgpack", 2, Serializer.MSGPACK, null, SUBSET),
                new Variant("protocol 2, yaml", 2, Serializer.YAML, null, SUBSET),
                new Variant("protocol 2, json + gzip", 2, Serializer.JSON, Compression.GZIP, SUBSET),
                new Variant("protocol 2, json + bzip2", 2, Serializer.JSON, Compression.BZIP2, SUBSET),
                new Variant("protocol 2, json + xz", 2, Serializer.JSON, Compression.LZMA, SUBSET),
                new Variant("protocol 1, msgpack + gzip", 1, Serializer.MSGPACK, Compression.GZIP, SUBSET));
        int expected = 0;
        try (BrokerLists lists = new BrokerLists(redis.url())) {
            for (Variant variant : variants) {
                for (EncoderMatrix.Case c : EncoderMatrix.cases(now, variant.protocol())) {
                    if (variant.only() != null && !variant.only().contains(c.description())) {
                        continue;
                    }
                    CeleryMessage message = c.message();
                    byte[] raw = codec.encode(message, variant.target(c.queue(), message.priority()));
                    String key = keys.keyFor(c.queue(), message.priority());
                    lists.lpush(key, raw);
                    written.add(new Written(variant, c, key));
                    expected += 1 + c.followUps().size();
                }
            }
        }
        worker = celery.startWorker(redis.url(), WorkerOptions.defaults().withQueues("celery", "q_custom"));
        executions = worker.collectExecutions(expected, WAIT);
    }

    @AfterAll
    void stopTheWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    @TestFactory
    Stream<DynamicNode> everyEncodedMessageRunsWithExactlyWhatWasIntended() {
        return written.stream()
                .map(Written::variant)
                .distinct()
                .map(variant -> DynamicContainer.dynamicContainer(
                        variant.name(),
                        written.stream()
                                .filter(w -> w.variant().equals(variant))
                                .map(w -> DynamicTest.dynamicTest(
                                        w.matrixCase().description(), () -> ranAsIntended(w)))));
    }

    @org.junit.jupiter.api.Test
    void theWorkerRanEveryMessageOnceAndNothingElse() {
        long messages = executions.stream()
                .filter(e -> written.stream()
                        .anyMatch(w -> w.matrixCase().message().id().equals(e.id())))
                .count();
        int followUps = written.stream()
                .mapToInt(w -> w.matrixCase().followUps().size())
                .sum();
        assertThat(messages).as("executions of encoded messages").isEqualTo(written.size());
        assertThat(executions).as("all executions").hasSize(written.size() + followUps);
        assertThat(worker.isAlive()).as("worker survived every message").isTrue();
    }

    @org.junit.jupiter.api.Test
    void theWorkerDrainsTheEncodedPriorityListsInKombusOrder() {
        PriorityKeys keys = PriorityKeys.defaults();
        // Everything was written before the worker started, so BRPOP empties step 0 first, then 3, 6 and 9.
        List<Integer> steps = executions.stream()
                .map(e -> written.stream()
                        .filter(w -> w.matrixCase().message().id().equals(e.id()))
                        .filter(w -> w.matrixCase().message().eta() == null)
                        .findFirst())
                .flatMap(java.util.Optional::stream)
                .map(w -> keys.step(w.matrixCase().message().priority()))
                .toList();
        assertThat(steps)
                .as("priority step of each message, in execution order")
                .isSorted();
        assertThat(steps).contains(0, 3, 6, 9);
    }

    private void ranAsIntended(Written w) {
        CeleryMessage intended = w.matrixCase().message();
        List<Execution> runs =
                executions.stream().filter(e -> e.id().equals(intended.id())).toList();
        assertThat(runs).as("executions of %s", intended.id()).hasSize(1);
        Execution run = runs.get(0);
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(run.task()).as("task").isEqualTo(intended.task());
        soft.assertThat(CeleryJsonForm.ofIntended(run.args()))
                .as("args")
                .isEqualTo(CeleryJsonForm.ofJson(intended.args()));
        soft.assertThat(CeleryJsonForm.ofIntended(run.kwargs()))
                .as("kwargs")
                .isEqualTo(CeleryJsonForm.ofJson(intended.kwargs()));
        soft.assertThat(run.retries()).as("retries").isEqualTo(intended.retries());
        soft.assertThat(run.priority())
                .as("delivery_info.priority")
                .isEqualTo(intended.priority() == null ? 0 : intended.priority());
        soft.assertThat(run.routingKey())
                .as("delivery_info.routing_key")
                .isEqualTo(w.matrixCase().queue());
        if (w.variant().protocol() == 2) {
            // Protocol 1 has no root_id field: a worker sees None whatever the writer wanted.
            soft.assertThat(run.rootId()).as("root_id").isEqualTo(intended.rootId());
        }
        soft.assertThat(instant(run.eta()))
                .as("eta")
                .isEqualTo(intended.etaTime().map(OffsetDateTime::toInstant).orElse(null));
        intended.etaTime().ifPresent(eta -> soft.assertThat(run.executedAt())
                .as("ran no earlier than the eta")
                .isAfterOrEqualTo(eta.toInstant().minusMillis(50)));
        soft.assertThat(instant(run.expires()))
                .as("expires")
                .isEqualTo(intended.expiresTime().map(OffsetDateTime::toInstant).orElse(null));
        Map<String, Object> headers =
                CeleryJsonForm.ofIntended(run.headers()) instanceof Map<?, ?> m ? castMap(m) : Map.of();
        soft.assertThat(headers).as("custom headers").containsAllEntriesOf(castMap((Map<?, ?>)
                CeleryJsonForm.ofJson(intended.customHeaders())));
        if (!intended.timelimit().isNone()) {
            soft.assertThat(CeleryJsonForm.ofIntended(run.timelimit()))
                    .as("timelimit [hard, soft]")
                    .isEqualTo(CeleryJsonForm.ofIntended(java.util.Arrays.asList(
                            intended.timelimit().hard(), intended.timelimit().soft())));
        }
        for (EncoderMatrix.FollowUp followUp : w.matrixCase().followUps()) {
            Object args = CeleryJsonForm.ofJson(followUp.args());
            soft.assertThat(executions)
                    .as("follow-up %s%s of %s", followUp.task(), args, intended.id())
                    .anySatisfy(e -> {
                        assertThat(e.task()).isEqualTo(followUp.task());
                        assertThat(List.of(String.valueOf(e.rootId()), String.valueOf(e.parentId())))
                                .as("root or parent id")
                                .contains(intended.id());
                        assertThat(CeleryJsonForm.ofIntended(e.args())).isEqualTo(args);
                    });
        }
        soft.assertAll();
    }

    private static Instant instant(String celeryTime) {
        return celeryTime == null
                ? null
                : CeleryTime.parse(celeryTime).resolve().toInstant();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
