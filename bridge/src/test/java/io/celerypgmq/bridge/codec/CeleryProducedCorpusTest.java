package io.celerypgmq.bridge.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.celerypgmq.bridge.codec.internal.PythonRepr;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every message real Celery 5.2 published in the corpus decodes to what its sidecar's Python call says: the
 * expectations file is derived from the call by {@code derive_expectations.py}, which runs the call against recording
 * stand-ins; Celery's own semantics (countdown → eta, priority → list, links, chain order, compression header,
 * time limit order) are asserted here.
 */
class CeleryProducedCorpusTest {
    private static final JsonNode EXPECTED = Corpus.expectations();
    private final CeleryCodec codec = CeleryCodec.withDefaults();

    @Test
    void everyCeleryProducedCaseHasAnExpectation() {
        List<String> missing = new ArrayList<>();
        for (String name : Corpus.cases()) {
            if (!name.startsWith("hb_") && !name.startsWith("result_") && !EXPECTED.has(name)) {
                missing.add(name);
            }
        }
        assertThat(missing)
                .as("rerun derive_expectations.py for new corpus cases")
                .isEmpty();
        assertThat(EXPECTED.size()).isGreaterThan(80);
    }

    @TestFactory
    Stream<DynamicTest> everyCeleryProducedMessageDecodesToItsPythonCall() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Iterator it = new Iterator(EXPECTED); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue())));
        }
        return tests.stream();
    }

    private void check(String name, JsonNode expected) {
        JsonNode call = expected.get("call");
        JsonNode options = call.get("options");
        JsonNode conf = expected.get("conf");
        String key = Corpus.foundInKey(Corpus.sidecar(name));
        byte[] raw = Corpus.raw(name);
        CeleryMessage m = codec.decode(raw, key);

        assertThat(m.task()).isEqualTo(call.get("task").asText());
        assertThat(m.args()).isEqualTo(call.get("args"));
        assertThat(m.kwargs()).isEqualTo(call.get("kwargs"));
        assertThat(m.protocol()).isEqualTo(conf.path("task_protocol").asInt(2));
        assertThat(m.sourceKey()).isEqualTo(key);

        String serializer =
                options.path("serializer").asText(conf.path("task_serializer").asText("json"));
        assertThat(m.contentType()).isEqualTo(contentType(serializer));
        assertThat(m.compression()).isEqualTo(expectedCompression(options, conf));

        checkPriorityAndList(m, options, conf, key);
        checkTimes(m, options);
        checkIdsAndHeaders(m, options);
        checkLinks(m, call, options);
        checkRepr(m, call, options, serializer);
        checkRoundTrip(m, raw, serializer);
    }

    private static String contentType(String serializer) {
        return switch (serializer) {
            case "json" -> "application/json";
            case "pickle" -> "application/x-python-serialize";
            case "msgpack" -> "application/x-msgpack";
            case "yaml" -> "application/x-yaml";
            default -> throw new AssertionError(serializer);
        };
    }

    /** Per-call compression wins; Celery 5.2 ignores task_compression and applies result_compression instead. */
    private static String expectedCompression(JsonNode options, JsonNode conf) {
        String alias = options.path("compression")
                .asText(conf.path("result_compression").asText(null));
        return alias == null ? null : Compression.forHeader(alias).orElseThrow().mimeType();
    }

    private static void checkPriorityAndList(CeleryMessage m, JsonNode options, JsonNode conf, String key) {
        int priority = options.path("priority")
                .asInt(conf.path("task_default_priority").asInt(0));
        assertThat(m.priority()).isEqualTo(priority);
        JsonNode transport = conf.path("broker_transport_options");
        PriorityKeys keys = PriorityKeys.defaults();
        if (transport.has("priority_steps")) {
            List<Integer> steps = new ArrayList<>();
            transport.get("priority_steps").forEach(s -> steps.add(s.asInt()));
            keys = keys.withSteps(steps);
        }
        if (transport.has("sep")) {
            keys = keys.withSeparator(transport.get("sep").asText());
        }
        String queue = keys.parse(key).orElseThrow().queue();
        assertThat(keys.keyFor(queue, m.priority()))
                .as("list for priority %s", m.priority())
                .isEqualTo(key);
        boolean explicitExchange =
                options.has("exchange") || conf.path("task_routes").toString().contains("exchange");
        if (!explicitExchange) {
            assertThat(m.routingKey()).isEqualTo(queue);
        } else {
            assertThat(m.deliveryInfo().get("exchange").asText()).isEqualTo("ex_direct");
            assertThat(m.routingKey()).isEqualTo("rk.direct");
        }
    }

    private static void checkTimes(CeleryMessage m, JsonNode options) {
        if (options.has("countdown")) {
            assertThat(m.etaTime()).isPresent();
            assertThat(m.etaIsNaive()).isFalse();
        } else if (options.has("eta")) {
            CeleryTime expected = CeleryTime.parse(options.get("eta").asText());
            assertThat(CeleryTime.parse(m.eta())).isEqualTo(expected);
        } else {
            assertThat(m.eta()).isNull();
        }
        JsonNode expires = options.get("expires");
        if (expires == null) {
            assertThat(m.expires()).isNull();
            assertThat(m.expiration()).isNull();
        } else if (expires.isNumber()) {
            assertThat(m.expiration()).isEqualTo(String.valueOf(expires.asLong() * 1000));
            assertThat(m.expiresTime()).isPresent();
            if (options.has("countdown")) {
                Duration gap = Duration.between(
                        m.etaTime().orElseThrow(), m.expiresTime().orElseThrow());
                assertThat(gap.toMillis())
                        .isCloseTo(
                                (expires.asLong() - options.get("countdown").asLong()) * 1000,
                                org.assertj.core.api.Assertions.within(1000L));
            }
        } else {
            OffsetDateTime at = CeleryTime.parse(expires.asText()).resolve();
            assertThat(m.expiresTime()).contains(at);
        }
    }

    private static void checkIdsAndHeaders(CeleryMessage m, JsonNode options) {
        if (options.has("task_id")) {
            assertThat(m.id()).isEqualTo(options.get("task_id").asText());
        }
        assertThat(m.retries()).isEqualTo(options.path("retries").asInt(0));
        assertThat(m.correlationId()).isEqualTo(m.id());
        assertThat(m.deliveryMode()).isEqualTo(options.path("delivery_mode").asInt(2));
        if (options.has("reply_to")) {
            assertThat(m.replyTo()).isEqualTo(options.get("reply_to").asText());
        }
        assertThat(m.customHeaders())
                .isEqualTo(options.has("headers") ? options.get("headers") : Corpus.JSON.createObjectNode());
        if (m.protocol() == 1) {
            return;
        }
        assertThat(m.shadow()).isEqualTo(options.path("shadow").asText(null));
        assertThat(m.timelimit())
                .isEqualTo(TimeLimit.of(
                        options.has("time_limit") ? options.get("time_limit").asInt() : null,
                        options.has("soft_time_limit")
                                ? options.get("soft_time_limit").asInt()
                                : null));
        assertThat(m.ignoreResult()).isEqualTo(options.path("ignore_result").asBoolean(false));
        assertThat(m.parentId()).isEqualTo(options.path("parent_id").asText(null));
        assertThat(m.rootId()).isEqualTo(options.path("root_id").asText(m.id()));
        assertThat(m.origin()).startsWith("gen");
        if (options.path("group").asBoolean(false)) {
            assertThat(m.group()).isNotBlank();
        } else {
            assertThat(m.group()).isNull();
        }
    }

    private static void checkLinks(CeleryMessage m, JsonNode call, JsonNode options) {
        assertSignatures(m.callbacks(), options.get("link"));
        assertSignatures(m.errbacks(), options.get("link_error"));
        if (m.protocol() == 2) {
            assertSignatures(m.chain(), call.get("chain"));
        }
        assertThat(m.chord()).isNull();
    }

    /** Celery puts a single link in a list; the remaining chain is stored last task first. */
    private static void assertSignatures(JsonNode actual, JsonNode expected) {
        if (expected == null || expected.isNull()) {
            assertThat(actual).isNull();
            return;
        }
        ArrayNode wanted = expected.isArray()
                ? (ArrayNode) expected
                : Corpus.JSON.createArrayNode().add(expected);
        assertThat(actual.size()).isEqualTo(wanted.size());
        for (int i = 0; i < wanted.size(); i++) {
            assertThat(actual.get(i).get("task")).isEqualTo(wanted.get(i).get("task"));
            assertThat(actual.get(i).get("args")).isEqualTo(wanted.get(i).get("args"));
            assertThat(actual.get(i).get("kwargs")).isEqualTo(wanted.get(i).get("kwargs"));
            assertThat(actual.get(i).get("immutable")).isEqualTo(wanted.get(i).get("immutable"));
        }
    }

    /** Celery computed argsrepr from the real Python values; ours, from the decoded JSON, must agree. */
    private static void checkRepr(CeleryMessage m, JsonNode call, JsonNode options, String serializer) {
        if (m.protocol() == 1) {
            return;
        }
        if (options.has("argsrepr")) {
            assertThat(m.argsrepr()).isEqualTo(options.get("argsrepr").asText());
            return;
        }
        if (!serializer.equals("json") || m.args().toString().contains("[")) {
            return; // bytes and inner tuples have no JSON form that keeps their repr
        }
        String ours = PythonRepr.argsrepr(m.args());
        if (!call.get("args_is_tuple").asBoolean()) {
            ours = "[" + ours.substring(1, ours.endsWith(",)") ? ours.length() - 2 : ours.length() - 1) + "]";
        }
        assertThat(ours).isEqualTo(m.argsrepr());
        assertThat(PythonRepr.kwargsrepr(m.kwargs())).isEqualTo(m.kwargsrepr());
    }

    private void checkRoundTrip(CeleryMessage m, byte[] raw, String serializer) {
        EncodeTarget same = EncodeTarget.sameAs(m, UUID::randomUUID);
        byte[] encoded = codec.encode(m, same);
        if (!serializer.equals("pickle")) {
            assertThat(encoded)
                    .as("unchanged message re-encodes to its original bytes")
                    .isEqualTo(raw);
        }
        CeleryMessage changed = m.toBuilder().retries(m.retries() + 1).build();
        assertThat(changed.source()).isEmpty();
        byte[] fresh = codec.encode(changed, same);
        assertThat(fresh).isNotEqualTo(raw);
        CeleryMessage back = codec.decode(fresh, m.sourceKey());
        assertThat(back.args()).isEqualTo(m.args());
        assertThat(back.kwargs()).isEqualTo(m.kwargs());
        assertThat(back.retries()).isEqualTo(m.retries() + 1);
        assertThat(back.eta()).isEqualTo(m.eta());
        assertThat(back.expires()).isEqualTo(m.expires());
        assertThat(back.callbacks()).isEqualTo(m.callbacks());
        assertThat(back.chain()).isEqualTo(m.chain());
        assertThat(back.customHeaders()).isEqualTo(m.customHeaders());
        assertThat(back.priority()).isEqualTo(m.priority());
        assertThat(back.compression())
                .isEqualTo(
                        same.compression() == null ? null : same.compression().mimeType());
        assertThat(back.deliveryTag()).isNotEqualTo(m.deliveryTag());
    }

    /** Field iteration over a JSON object, as a plain iterator. */
    private static final class Iterator implements java.util.Iterator<Map.Entry<String, JsonNode>> {
        private final java.util.Iterator<Map.Entry<String, JsonNode>> fields;

        Iterator(JsonNode node) {
            this.fields = node.fields();
        }

        @Override
        public boolean hasNext() {
            return fields.hasNext();
        }

        @Override
        public Map.Entry<String, JsonNode> next() {
            return fields.next();
        }
    }
}
