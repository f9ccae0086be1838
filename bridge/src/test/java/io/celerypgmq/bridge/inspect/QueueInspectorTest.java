package io.celerypgmq.bridge.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestRedis;
import io.celerypgmq.testkit.celery.CallSpec;
import io.celerypgmq.testkit.celery.CeleryWorker;
import io.celerypgmq.testkit.celery.PublishOptions;
import io.celerypgmq.testkit.celery.PublishedCall;
import io.celerypgmq.testkit.celery.RealCelery;
import io.celerypgmq.testkit.celery.TransportOptions;
import io.celerypgmq.testkit.celery.WorkerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** {@code inspect} on what real Celery 5.2 left in Redis: queues, priority lists, a key prefix and {@code unacked}. */
@RealBackends
class QueueInspectorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEP = PriorityKeys.DEFAULT_SEPARATOR;

    private static JedisPooled redis;
    private static List<PublishedCall> plain;
    private static PublishedCall protocolOne;
    private static PublishedCall prefixed;
    private static PublishedCall held;

    @BeforeAll
    static void celeryLeavesMessagesBehind(TestRedis backend) {
        RealCelery celery = RealCelery.require();
        redis = RedisConnections.open(backend.url());
        // A real worker reserves an ETA task into unacked; SIGKILL leaves it there, as a dead worker would.
        try (CeleryWorker worker =
                celery.startWorker(backend.url(), WorkerOptions.defaults().withQueues("held"))) {
            held = celery.publish(
                            backend.url(),
                            List.of(CallSpec.task("tasks.add", 40, 2)
                                    .queue("held")
                                    .countdown(3600)),
                            PublishOptions.defaults())
                    .get(0);
            await().atMost(Duration.ofSeconds(20)).until(() -> redis.hlen("unacked") == 1);
            worker.kill();
        }
        plain = celery.publish(
                backend.url(),
                List.of(
                        CallSpec.task("tasks.add", 2, 3),
                        CallSpec.task("tasks.add", 1, 1).priority(9),
                        CallSpec.task("tasks.echo", "hi")
                                .queue("q_custom")
                                .countdown(60)
                                .headers(Map.of("x-tenant", "acme"))),
                PublishOptions.defaults());
        protocolOne = celery.publish(
                        backend.url(),
                        List.of(CallSpec.task("tasks.mul", 4, 5)),
                        PublishOptions.defaults().withTaskProtocol(1))
                .get(0);
        TransportOptions tenStepsColonPrefixed = TransportOptions.defaults()
                .withPrioritySteps(IntStream.range(0, 10).boxed().toList())
                .withSeparator(":")
                .withGlobalKeyprefix("pfx:");
        prefixed = celery.publish(
                        backend.url(),
                        List.of(CallSpec.task("tasks.add", 7, 7).priority(4)),
                        PublishOptions.defaults().withTransport(tenStepsColonPrefixed))
                .get(0);
        redis.lpush("celery", "this is not json");
    }

    @AfterAll
    static void close() {
        if (redis != null) {
            redis.close();
        }
    }

    private static List<JsonNode> inspectJson(InspectOptions options) {
        List<JsonNode> lines = new ArrayList<>();
        InspectFormat format = new InspectFormat(options.keys());
        new QueueInspector(redis, CeleryCodec.withDefaults(), options).run(m -> {
            try {
                lines.add(JSON.readTree(format.json(m)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return true;
        });
        return lines;
    }

    private static JsonNode byId(List<JsonNode> lines, String id) {
        return lines.stream()
                .filter(l -> id.equals(l.path("id").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no message " + id + " in " + lines));
    }

    @Test
    void everyMessageIsListedWithCeleryFieldNamesAndItsJsonTypes() {
        List<JsonNode> lines = inspectJson(InspectOptions.everything(PriorityKeys.defaults()));

        JsonNode add = byId(lines, plain.get(0).messageId());
        assertThat(add.get("queue").asText()).isEqualTo("celery");
        assertThat(add.get("key").asText()).isEqualTo("celery");
        assertThat(add.get("task").asText()).isEqualTo("tasks.add");
        assertThat(add.get("protocol").asInt()).isEqualTo(2);
        assertThat(add.get("content_type").asText()).isEqualTo("application/json");
        assertThat(add.get("args").toString()).isEqualTo("[2,3]");
        assertThat(add.get("kwargs").isObject()).isTrue();
        assertThat(add.get("eta").isNull()).isTrue();
        assertThat(add.get("retries").isInt()).isTrue();
        assertThat(add.get("root_id").asText()).isEqualTo(plain.get(0).messageId());
        assertThat(add.get("timelimit").toString()).isEqualTo("[null,null]");
        assertThat(add.get("delivery_tag").asText()).isNotBlank();
        assertThat(add.get("size").asInt()).isGreaterThan(500);

        JsonNode urgent = byId(lines, plain.get(1).messageId());
        assertThat(urgent.get("priority").asInt()).isEqualTo(9);
        assertThat(urgent.get("key").asText()).isEqualTo("celery\\x06\\x169");
        assertThat(urgent.get("queue").asText()).isEqualTo("celery");

        JsonNode later = byId(lines, plain.get(2).messageId());
        assertThat(later.get("queue").asText()).isEqualTo("q_custom");
        assertThat(later.get("eta").asText()).endsWith("+00:00");
        assertThat(later.get("headers").toString()).isEqualTo("{\"x-tenant\":\"acme\"}");

        JsonNode v1 = byId(lines, protocolOne.messageId());
        assertThat(v1.get("protocol").asInt()).isEqualTo(1);
        assertThat(v1.get("task").asText()).isEqualTo("tasks.mul");
        assertThat(v1.get("args").toString()).isEqualTo("[4,5]");
    }

    @Test
    void anUnackedEntryIsListedUnderTheQueueARestoreWouldPushItTo() {
        JsonNode entry = byId(inspectJson(InspectOptions.everything(PriorityKeys.defaults())), held.messageId());

        assertThat(entry.get("key").asText()).isEqualTo("unacked");
        assertThat(entry.get("queue").asText()).isEqualTo("held");
        assertThat(entry.get("unacked").asBoolean()).isTrue();
        assertThat(entry.get("delivered_at").asDouble()).isPositive();
        assertThat(entry.get("eta").asText()).isNotEmpty();
    }

    @Test
    void aMessageThatDoesNotDecodePrintsItsKeyErrorAndReason() {
        List<JsonNode> errors = inspectJson(InspectOptions.everything(PriorityKeys.defaults())).stream()
                .filter(l -> l.has("error"))
                .toList();

        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).get("key").asText()).isEqualTo("celery");
        assertThat(errors.get(0).get("reason").asText()).isEqualTo("BAD_ENVELOPE_JSON");
        assertThat(errors.get(0).get("error").asText()).isNotBlank();
        assertThat(errors.get(0).has("task")).isFalse();
    }

    @Test
    void aKeyPrefixAndCustomStepsFindThePrefixedPriorityList() {
        PriorityKeys pfx = new PriorityKeys(IntStream.range(0, 10).boxed().toList(), ":", "pfx:");
        List<JsonNode> lines = inspectJson(InspectOptions.everything(pfx));

        assertThat(lines).hasSize(1);
        JsonNode m = byId(lines, prefixed.messageId());
        assertThat(m.get("key").asText()).isEqualTo("pfx:celery:4");
        assertThat(m.get("queue").asText()).isEqualTo("celery");
        assertThat(m.get("priority").asInt()).isEqualTo(4);
    }

    @Test
    void messagesComeInTheOrderAWorkerWouldRunThemAcrossPagesAndStopAtTheLimit() {
        List<String> keys = new ArrayList<>();
        InspectOptions tiny = InspectOptions.everything(PriorityKeys.defaults())
                .withQueues(List.of("celery"))
                .withUnacked(false)
                .withPageSize(1);
        InspectSummary all = new QueueInspector(redis, CeleryCodec.withDefaults(), tiny).run(m -> keys.add(m.key()));

        // Base list first (oldest, the add, at the tail; the junk LPUSHed last), then the priority-9 list.
        assertThat(keys).containsExactly("celery", "celery", "celery", "celery" + SEP + "9");
        assertThat(all.messages()).isEqualTo(4);
        assertThat(all.perTask()).containsEntry("tasks.add", 2L).containsEntry("tasks.mul", 1L);
        assertThat(all.perReason()).containsEntry("BAD_ENVELOPE_JSON", 1L);
        assertThat(all.truncated()).isFalse();

        List<String> ids = new ArrayList<>();
        InspectSummary limited = new QueueInspector(redis, CeleryCodec.withDefaults(), tiny.withLimit(2))
                .run(m -> ids.add(m.decoded() ? m.message().id() : "junk"));
        assertThat(ids).containsExactly(plain.get(0).messageId(), protocolOne.messageId());
        assertThat(limited.truncated()).isTrue();
    }

    @Test
    void theTextFormShowsTaskArgumentsPrioritySizeAndCountsPerTask() {
        InspectFormat format = new InspectFormat(PriorityKeys.defaults());
        List<String> out = new ArrayList<>();
        InspectSummary summary = new QueueInspector(
                        redis, CeleryCodec.withDefaults(), InspectOptions.everything(PriorityKeys.defaults()))
                .run(m -> out.add(format.text(m)));
        out.addAll(format.summary(summary));
        String text = String.join("\n", out);

        assertThat(text)
                .contains("celery tasks.add[" + plain.get(0).messageId() + "](2, 3)  [")
                .contains("celery[9] tasks.add[" + plain.get(1).messageId() + "](1, 1) prio=9")
                .contains("held (unacked) tasks.add[" + held.messageId() + "](40, 2) eta=")
                .contains("protocol=1")
                .contains("UNDECODABLE BAD_ENVELOPE_JSON")
                .containsPattern("tasks\\.add\\s+4")
                .containsPattern("tasks\\.echo\\s+1")
                .containsPattern("undecodable: BAD_ENVELOPE_JSON\\s+1");
    }

    @Test
    void inspectingChangesNothingInRedis() {
        Map<String, String> before = RedisSnapshot.of(redis);
        inspectJson(InspectOptions.everything(PriorityKeys.defaults()));
        inspectJson(InspectOptions.everything(new PriorityKeys(List.of(0, 3, 6, 9), ":", "pfx:")));
        assertThat(RedisSnapshot.of(redis)).isEqualTo(before);
        assertThat(before.keySet()).contains("celery", "unacked", "pfx:celery:4");
        assertThat(new String(redis.lindex("celery".getBytes(StandardCharsets.UTF_8), 0), StandardCharsets.UTF_8))
                .isEqualTo("this is not json");
    }
}
