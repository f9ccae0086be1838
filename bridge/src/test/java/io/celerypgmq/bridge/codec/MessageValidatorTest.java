package io.celerypgmq.bridge.codec;

import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.ARGS_NOT_LIST;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.BAD_BASE64;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.BAD_ETA;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.BAD_EXPIRES;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.BODY_ENCODING_NOT_BASE64;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.BODY_NOT_THREE_ELEMENTS;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.DUPLICATE_DELIVERY_TAG;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.ENVELOPE_NOT_JSON;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.ENVELOPE_NOT_OBJECT;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.KWARGS_NOT_MAPPING;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.MISSING_BODY;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.MISSING_CONTENT_TYPE;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.MISSING_DELIVERY_INFO;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.MISSING_DELIVERY_TAG;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.MISSING_EXCHANGE;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.MISSING_ID;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.MISSING_PROPERTIES;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.MISSING_ROUTING_KEY;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.MISSING_TASK;
import static io.celerypgmq.bridge.codec.ValidationProblem.Kind.NAIVE_ETA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.internal.PythonJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Each message CELERY-WIRE.md §10–11 shows crashing, confusing or being dropped by a 5.2 worker is refused, naming
 * the problem; everything the encoder writes passes. Cases start from the corpus's full Celery message and break one
 * thing, as the hand-built experiments did.
 */
class MessageValidatorTest {
    private final MessageValidator validator = MessageValidator.strict();
    private final ObjectNode baseline = parse(Corpus.raw("hb_baseline_full_v2"));

    @Test
    void theFullCeleryMessagePasses() {
        assertThat(validator.check(Corpus.raw("hb_baseline_full_v2")).ok()).isTrue();
    }

    @Test
    void eachWorkerCrashIsRefusedWithItsReason() {
        assertRefused(e -> ((ObjectNode) e.get("headers")).remove("id"), MISSING_ID);
        assertRefused(e -> ((ObjectNode) e.get("headers")).put("id", " "), MISSING_ID);
        assertRefused(e -> ((ObjectNode) e.get("headers")).remove("task"), MISSING_TASK);
        assertRefused(e -> e.remove("properties"), MISSING_PROPERTIES);
        assertRefused(e -> props(e).remove("delivery_tag"), MISSING_DELIVERY_TAG);
        assertRefused(e -> props(e).remove("delivery_info"), MISSING_DELIVERY_INFO);
        assertRefused(e -> props(e).putObject("delivery_info"), MISSING_EXCHANGE, MISSING_ROUTING_KEY);
        assertRefused(e -> ((ObjectNode) props(e).get("delivery_info")).remove("routing_key"), MISSING_ROUTING_KEY);
        assertRefused(e -> e.remove("content-type"), MISSING_CONTENT_TYPE);
        assertRefused(e -> e.remove("body"), MISSING_BODY);
        assertRefused(e -> e.put("body", body("[[2, 3], {}]")), BODY_NOT_THREE_ELEMENTS);
        assertRefused(e -> e.put("body", "not base64!"), BAD_BASE64);
        assertRefused(e -> props(e).put("body_encoding", "utf-8").toString(), BODY_ENCODING_NOT_BASE64);
        assertRefused(e -> e.put("body", body("[\"xy\", {}, {}]")), ARGS_NOT_LIST);
        assertRefused(e -> e.put("body", body("[[1], [2], {}]")), KWARGS_NOT_MAPPING);
        assertRefused(e -> ((ObjectNode) e.get("headers")).put("eta", "not-a-date"), BAD_ETA);
        assertRefused(e -> ((ObjectNode) e.get("headers")).put("eta", 1795325662.6), BAD_ETA);
        assertRefused(e -> ((ObjectNode) e.get("headers")).put("expires", "2030-13-01T00:00:00"), BAD_EXPIRES);
        assertRefused(e -> ((ObjectNode) e.get("headers")).put("eta", "2030-01-01T12:00:00"), NAIVE_ETA);
    }

    @Test
    void everyProblemIsListedAtOnce() {
        ObjectNode broken = baseline.deepCopy();
        ((ObjectNode) broken.get("headers")).remove("id");
        props(broken).remove("delivery_tag");
        broken.remove("content-type");
        ValidationException e =
                catchThrowableOfType(ValidationException.class, () -> validator.validate(bytes(broken)));
        assertThat(e.problems())
                .extracting(ValidationProblem::kind)
                .contains(MISSING_ID, MISSING_DELIVERY_TAG, MISSING_CONTENT_TYPE);
        assertThat(e.getMessage()).contains("MISSING_ID", "MISSING_DELIVERY_TAG", "MISSING_CONTENT_TYPE");
    }

    @Test
    void aNaiveEtaIsOnlyAWarningWhenSoConfigured() {
        ObjectNode naive = baseline.deepCopy();
        ((ObjectNode) naive.get("headers")).put("eta", "2030-01-01T12:00:00");
        var lenient = new MessageValidator(MessageValidator.NaiveEtaPolicy.WARN, CodecOptions.defaults());
        var report = lenient.check(bytes(naive));
        assertThat(report.ok()).isTrue();
        assertThat(report.warnings()).extracting(ValidationProblem::kind).containsExactly(NAIVE_ETA);
    }

    @Test
    void elementsThatAreNotEnvelopesAreRefused() {
        assertThat(kinds(Corpus.raw("hb_bad_envelope_not_json"))).containsExactly(ENVELOPE_NOT_JSON);
        assertThat(kinds(Corpus.raw("hb_bad_envelope_json_array"))).containsExactly(ENVELOPE_NOT_OBJECT);
    }

    @Test
    void aBatchMayNotRepeatADeliveryTag() {
        byte[] one = Corpus.raw("hb_baseline_full_v2");
        ValidationException e = catchThrowableOfType(
                ValidationException.class, () -> validator.validateBatch(List.of(one, Corpus.raw("p2_json_add"), one)));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(DUPLICATE_DELIVERY_TAG);
            assertThat(p.messageIndex()).isEqualTo(2);
        });
    }

    @Test
    void everythingTheEncoderWritesPasses() {
        CeleryCodec codec = CeleryCodec.withDefaults();
        int checked = 0;
        for (String name : Corpus.cases()) {
            CeleryMessage m;
            try {
                m = codec.decode(Corpus.raw(name), "celery");
            } catch (UndecodableMessageException e) {
                continue;
            }
            CeleryMessage changed = m.toBuilder().retries(m.retries() + 1).build();
            for (EncodeTarget target : List.of(
                    EncodeTarget.of("celery"),
                    EncodeTarget.of("q_other").withPriority(6).withCompression(Compression.GZIP),
                    EncodeTarget.of("celery").withSerializer(Serializer.MSGPACK))) {
                byte[] encoded = codec.encode(changed, target);
                var report = new MessageValidator(MessageValidator.NaiveEtaPolicy.WARN, CodecOptions.defaults())
                        .check(encoded);
                assertThat(report.problems()).as(name).isEmpty();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(400);
    }

    private void assertRefused(Consumer<ObjectNode> breakIt, ValidationProblem.Kind... expected) {
        ObjectNode broken = baseline.deepCopy();
        breakIt.accept(broken);
        assertThat(kinds(bytes(broken))).as(broken.toString()).contains(expected);
        assertThat(catchThrowableOfType(ValidationException.class, () -> validator.validate(bytes(broken))))
                .isNotNull();
    }

    private List<ValidationProblem.Kind> kinds(byte[] raw) {
        return validator.check(raw).problems().stream()
                .map(ValidationProblem::kind)
                .toList();
    }

    private static ObjectNode props(ObjectNode envelope) {
        return (ObjectNode) envelope.get("properties");
    }

    private static String body(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode parse(byte[] raw) {
        try {
            return (ObjectNode) PythonJson.parse(new String(raw, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(ObjectNode envelope) {
        return PythonJson.dumps(envelope).getBytes(StandardCharsets.US_ASCII);
    }
}
