package io.celerypgmq.bridge.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The inspect view with Celery's field names, and messages read from kombu's unacked hash. */
class InspectAndUnackedTest {
    private final CeleryCodec codec = CeleryCodec.withDefaults();
    private final InspectView view = new InspectView(PriorityKeys.defaults());

    @Test
    void theInspectViewUsesCeleryFieldNames() {
        CeleryMessage m = codec.decode(Corpus.raw("prio_default_steps_p6"), "celery\u0006\u00166");
        ObjectNode json = view.json(m);
        assertThat(json.fieldNames())
                .toIterable()
                .containsExactly(
                        "queue",
                        "key",
                        "protocol",
                        "content_type",
                        "compression",
                        "delivery_tag",
                        "task",
                        "id",
                        "args",
                        "kwargs",
                        "eta",
                        "expires",
                        "retries",
                        "priority",
                        "root_id",
                        "parent_id",
                        "group",
                        "group_index",
                        "timelimit",
                        "callbacks",
                        "errbacks",
                        "chain",
                        "chord",
                        "headers");
        assertThat(json.get("queue").asText()).isEqualTo("celery");
        assertThat(json.get("key").asText()).isEqualTo("celery\\x06\\x166");
        assertThat(json.get("priority").asInt()).isEqualTo(6);
        assertThat(json.get("args").toString()).isEqualTo("[1,2]");
        assertThat(view.line(m))
                .startsWith("celery[6] tasks.add[" + m.id() + "](1, 2)")
                .contains("prio=6");
    }

    @Test
    void anUndecodableMessageShowsKeyErrorAndReason() {
        UndecodableMessageException e = catchThrowableOfType(
                UndecodableMessageException.class, () -> codec.decode(Corpus.raw("hb_bad_base64_body"), "celery"));
        ObjectNode json = view.json(e);
        assertThat(json.get("key").asText()).isEqualTo("celery");
        assertThat(json.get("reason").asText()).isEqualTo("BAD_BASE64");
        assertThat(json.get("error").asText()).contains("Invalid base64-encoded string");
        assertThat(view.line(e)).isEqualTo("celery UNDECODABLE BAD_BASE64: " + e.detail());
    }

    @Test
    void anUnackedHashValueDecodesToTheMessageAndItsRoute() {
        // The exact value from CELERY-WIRE.md §8.1 (worker_unacked_hash_value_eta).
        String value =
                "[{\"body\": \"W1sxMCwgMjBdLCB7fSwgeyJjYWxsYmFja3MiOiBudWxsLCAiZXJyYmFja3MiOiBudWxsLCAiY2hhaW4iOiBudWxsLCAiY2hvcmQiOiBudWxsfV0=\", \"content-encoding\": \"utf-8\", \"content-type\": \"application/json\", \"headers\": {\"lang\": \"py\", \"task\": \"tasks.add\", \"id\": \"4c9f5260-bf9f-4758-b3cd-5e864654a4fb\", \"shadow\": null, \"eta\": \"2026-11-22T05:25:02.082965+00:00\", \"expires\": null, \"group\": null, \"group_index\": null, \"retries\": 0, \"timelimit\": [null, null], \"root_id\": \"4c9f5260-bf9f-4758-b3cd-5e864654a4fb\", \"parent_id\": null, \"argsrepr\": \"(10, 20)\", \"kwargsrepr\": \"{}\", \"origin\": \"gen16461@vm\", \"ignore_result\": false}, \"properties\": {\"correlation_id\": \"4c9f5260-bf9f-4758-b3cd-5e864654a4fb\", \"reply_to\": \"d05be5b8-a3f3-3bf0-8dc4-2dd7e736ca8e\", \"delivery_mode\": 2, \"delivery_info\": {\"exchange\": \"\", \"routing_key\": \"celery\"}, \"priority\": 0, \"body_encoding\": \"base64\", \"delivery_tag\": \"c4726ad9-405a-4380-9386-51dfd3be3318\"}}, \"\", \"celery\"]";
        UnackedEntry entry = codec.decodeUnacked(value.getBytes(StandardCharsets.US_ASCII), "unacked");
        assertThat(entry.exchange()).isEmpty();
        assertThat(entry.routingKey()).isEqualTo("celery");
        assertThat(entry.message().identity()).isEqualTo("c4726ad9-405a-4380-9386-51dfd3be3318");
        assertThat(entry.message().args().toString()).isEqualTo("[10,20]");
        assertThat(entry.message().eta()).isEqualTo("2026-11-22T05:25:02.082965+00:00");
        String inner = value.substring(1, value.lastIndexOf(", \"\", \"celery\"]"));
        assertThat(codec.encode(entry.message(), EncodeTarget.of("celery")))
                .as("the inner envelope is kombu's own bytes")
                .isEqualTo(inner.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void anUnackedValueOfTheWrongShapeIsRefused() {
        UndecodableMessageException e = catchThrowableOfType(
                UndecodableMessageException.class,
                () -> codec.decodeUnacked("[{}, \"\"]".getBytes(StandardCharsets.US_ASCII), "unacked"));
        assertThat(e.reason()).isEqualTo(UndecodableMessageException.Reason.ENVELOPE_NOT_OBJECT);
    }

    @Test
    void anOversizedMessageIsRefusedBeforeParsing() {
        CeleryCodec small = new CeleryCodec(CodecOptions.defaults().withMaxMessageBytes(100));
        UndecodableMessageException e = catchThrowableOfType(
                UndecodableMessageException.class, () -> small.decode(Corpus.raw("p2_json_add"), "celery"));
        assertThat(e.reason()).isEqualTo(UndecodableMessageException.Reason.TOO_LARGE);
        assertThat(e.identity()).startsWith("sha256:");
    }

    @Test
    void aCompressionBombIsRefused() {
        CeleryCodec small = new CeleryCodec(CodecOptions.defaults().withMaxBodyBytes(50_000));
        UndecodableMessageException e = catchThrowableOfType(
                UndecodableMessageException.class, () -> small.decode(Corpus.raw("comp_gzip_p2_large"), "celery"));
        assertThat(e.reason()).isEqualTo(UndecodableMessageException.Reason.TOO_LARGE);
    }
}
