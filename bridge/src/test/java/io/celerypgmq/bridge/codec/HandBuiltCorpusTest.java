package io.celerypgmq.bridge.codec;

import static io.celerypgmq.bridge.codec.UndecodableMessageException.Reason.BAD_BASE64;
import static io.celerypgmq.bridge.codec.UndecodableMessageException.Reason.BAD_BODY;
import static io.celerypgmq.bridge.codec.UndecodableMessageException.Reason.BAD_BODY_SHAPE;
import static io.celerypgmq.bridge.codec.UndecodableMessageException.Reason.BAD_ENVELOPE_JSON;
import static io.celerypgmq.bridge.codec.UndecodableMessageException.Reason.BAD_HEADER_VALUE;
import static io.celerypgmq.bridge.codec.UndecodableMessageException.Reason.ENVELOPE_NOT_OBJECT;
import static io.celerypgmq.bridge.codec.UndecodableMessageException.Reason.MISSING_FIELD;
import static io.celerypgmq.bridge.codec.UndecodableMessageException.Reason.UNKNOWN_COMPRESSION;
import static io.celerypgmq.bridge.codec.UndecodableMessageException.Reason.UNKNOWN_CONTENT_TYPE;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.BODY_ENCODING_NOT_BASE64;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.MISSING_DELIVERY_INFO;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.MISSING_DELIVERY_TAG;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.MISSING_EXCHANGE;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.MISSING_ROUTING_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.celerypgmq.bridge.codec.UndecodableMessageException.Reason;
import io.celerypgmq.bridge.codec.internal.PythonRepr;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The hand-built messages a real 5.2.6 worker was fed (CELERY-WIRE.md §10–11). What the worker did is in each sidecar:
 * every message it ran must decode, and to what the worker itself logged for it ({@code INSPECT} lines); the ones it
 * refused either raise the matching {@link Reason} or, where the worker only failed later on a property we do not need
 * for reading (delivery_tag, delivery_info), decode but fail the validator with the matching problem.
 */
class HandBuiltCorpusTest {
    /** Expected outcome for the messages a worker did not run. */
    private static final Map<String, Object> NOT_RUN = Map.ofEntries(
            Map.entry("hb_bad_base64_body", BAD_BASE64),
            Map.entry("hb_bad_base64_padding", BAD_BASE64),
            Map.entry("hb_bad_compression_unknown", UNKNOWN_COMPRESSION),
            Map.entry("hb_bad_content_type_unknown", UNKNOWN_CONTENT_TYPE),
            Map.entry("hb_bad_envelope_json_array", ENVELOPE_NOT_OBJECT),
            Map.entry("hb_bad_envelope_not_json", BAD_ENVELOPE_JSON),
            Map.entry("hb_bad_json_body", BAD_BODY),
            Map.entry("hb_bad_missing_headers_v2body", BAD_BODY_SHAPE),
            Map.entry("hb_body_two_elements", BAD_BODY_SHAPE),
            Map.entry("hb_drop_envelope_body", MISSING_FIELD),
            Map.entry("hb_drop_envelope_headers", BAD_BODY_SHAPE),
            Map.entry("hb_drop_envelope_properties", MISSING_FIELD),
            Map.entry("hb_drop_header_id", MISSING_FIELD),
            Map.entry("hb_drop_prop_body_encoding", BAD_BODY),
            Map.entry("hb_min_eta_epoch_number", BAD_HEADER_VALUE),
            Map.entry("hb_min_eta_garbage", BAD_HEADER_VALUE),
            Map.entry("hb_minimal_v2_no_content_type", MISSING_FIELD),
            // Readable task messages whose envelope breaks the worker's bookkeeping, not the task itself.
            Map.entry("hb_bad_delivery_tag_missing_then_ok", Set.of(MISSING_DELIVERY_TAG)),
            Map.entry("hb_drop_prop_delivery_tag", Set.of(MISSING_DELIVERY_TAG)),
            Map.entry("hb_drop_delivery_info_exchange", Set.of(MISSING_EXCHANGE)),
            Map.entry("hb_drop_delivery_info_routing_key", Set.of(MISSING_ROUTING_KEY)),
            Map.entry("hb_drop_prop_delivery_info", Set.of(MISSING_DELIVERY_INFO)),
            Map.entry("hb_minimal_v2_no_delivery_info", Set.of(MISSING_DELIVERY_INFO)),
            Map.entry("hb_minimal_v2_empty_delivery_info", Set.of(MISSING_EXCHANGE, MISSING_ROUTING_KEY)),
            // kombu 5.2 exits on body_encoding utf-8; kombu >= 5.4 reads it as raw text, and so do we.
            Map.entry("hb_min_body_encoding_utf8_raw", Set.of(BODY_ENCODING_NOT_BASE64)),
            // The worker received these fine and failed in the task itself (not registered, wrong arity).
            Map.entry("hb_bad_unknown_task", Set.of()),
            Map.entry("hb_bad_wrong_arity", Set.of()));

    /** Ran on a 5.2 worker, but our validator insists on base64 bodies, the form Celery itself writes. */
    private static final Set<String> RAN_WITHOUT_BASE64 =
            Set.of("hb_absolute_minimal_raw_body", "hb_body_plain_json_no_body_encoding");

    private final CeleryCodec codec = CeleryCodec.withDefaults();
    private final MessageValidator validator = MessageValidator.strict();

    @Test
    void everyHandBuiltCaseIsClassified() {
        List<String> unclassified = new ArrayList<>();
        for (String name : Corpus.cases()) {
            if (name.startsWith("hb_") && !ran(Corpus.sidecar(name)) && !NOT_RUN.containsKey(name)) {
                unclassified.add(name);
            }
        }
        assertThat(unclassified).isEmpty();
        assertThat(NOT_RUN.keySet())
                .allSatisfy(name -> assertThat(ran(Corpus.sidecar(name))).isFalse());
    }

    @TestFactory
    Stream<DynamicTest> everyHandBuiltMessageIsReadAsTheWorkerReadIt() {
        return Corpus.cases().stream()
                .filter(name -> name.startsWith("hb_"))
                .map(name -> DynamicTest.dynamicTest(name, () -> check(name)));
    }

    @Test
    void resultBackendValuesAreNotTaskMessages() {
        for (String name : Corpus.cases()) {
            if (name.startsWith("result_")) {
                UndecodableMessageException e = catchThrowableOfType(
                        UndecodableMessageException.class, () -> codec.decode(Corpus.raw(name), "celery-task-meta"));
                assertThat(e.reason()).as(name).isEqualTo(MISSING_FIELD);
            }
        }
    }

    private void check(String name) {
        JsonNode sidecar = Corpus.sidecar(name);
        byte[] raw = Corpus.raw(name);
        String key = Corpus.foundInKey(sidecar);
        Object expected = NOT_RUN.get(name);
        if (expected instanceof Reason reason) {
            UndecodableMessageException e =
                    catchThrowableOfType(UndecodableMessageException.class, () -> codec.decode(raw, key));
            assertThat(e).as("decoding %s must fail", name).isNotNull();
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.sourceKey()).isEqualTo(key);
            assertThat(e.identity()).isNotBlank();
            assertThat(validator.check(raw).ok()).isFalse();
            return;
        }
        CeleryMessage m = codec.decode(raw, key);
        assertMatchesEnvelope(m, raw);
        assertMatchesWorkerView(m, sidecar);
        Set<ValidationProblem.Kind> problems = validator.check(raw).problems().stream()
                .map(ValidationProblem::kind)
                .collect(Collectors.toSet());
        if (ran(sidecar)) {
            assertThat(problems)
                    .isEqualTo(RAN_WITHOUT_BASE64.contains(name) ? Set.of(BODY_ENCODING_NOT_BASE64) : Set.of());
        } else {
            assertThat(problems).isEqualTo(expected);
        }
    }

    /** Independent reading of the hand-built bytes: plain Jackson and java.util.Base64. */
    private static void assertMatchesEnvelope(CeleryMessage m, byte[] raw) {
        try {
            JsonNode envelope = Corpus.JSON.readTree(new String(raw, StandardCharsets.UTF_8));
            JsonNode headers = envelope.path("headers");
            JsonNode bodyText = envelope.get("body");
            boolean base64 = "base64"
                    .equals(envelope.path("properties").path("body_encoding").asText());
            byte[] bodyBytes = base64
                    ? Base64.getDecoder().decode(bodyText.asText())
                    : bodyText.asText().getBytes(StandardCharsets.UTF_8);
            String compression = headers.path("compression").asText(null);
            if (compression != null) {
                return; // compressed bodies are checked through the worker's own view
            }
            JsonNode body = Corpus.JSON.readTree(bodyBytes);
            if (headers.has("task")) {
                assertThat(m.protocol()).isEqualTo(2);
                assertThat(m.task()).isEqualTo(headers.get("task").asText());
                assertThat(m.id()).isEqualTo(headers.get("id").asText());
                assertThat(m.args()).isEqualTo(body.get(0));
                assertThat(m.kwargs()).isEqualTo(body.get(1));
            } else {
                assertThat(m.protocol()).isEqualTo(1);
                assertThat(m.task()).isEqualTo(body.get("task").asText());
                assertThat(m.args()).isEqualTo(body.get("args"));
                assertThat(m.retries()).isEqualTo(body.path("retries").asInt(0));
            }
            assertThat(m.deliveryTag())
                    .isEqualTo(envelope.path("properties").path("delivery_tag").asText(null));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The INSPECT task logged repr(args), repr(kwargs) and retries exactly as the worker received them. */
    private static void assertMatchesWorkerView(CeleryMessage m, JsonNode sidecar) {
        String log = sidecar.path("worker_log").asText("");
        int at = log.indexOf("INSPECT {");
        if (at < 0) {
            return;
        }
        String line = log.substring(at + "INSPECT ".length(), log.indexOf('\n', at));
        try {
            JsonNode seen = Corpus.JSON.readTree(line);
            if (!seen.path("id").asText().equals(m.id())) {
                return; // the log is of a linked task, not of this message
            }
            assertThat(PythonRepr.repr(m.args())).isEqualTo(seen.get("args").asText());
            assertThat(PythonRepr.repr(m.kwargs())).isEqualTo(seen.get("kwargs").asText());
            assertThat(m.retries()).isEqualTo(seen.get("retries").asInt());
            assertThat(m.task()).isEqualTo(seen.get("task").asText());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean ran(JsonNode sidecar) {
        return sidecar.path("outcome").path("ran").asBoolean(false);
    }
}
