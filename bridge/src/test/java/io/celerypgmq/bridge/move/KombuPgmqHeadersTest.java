package io.celerypgmq.bridge.move;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.CodecOptions;
import io.celerypgmq.bridge.pump.CeleryHeaders;
import io.celerypgmq.bridge.pump.PgmqPayloads;
import io.celerypgmq.bridge.route.PayloadFormat;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kombu format's pgmq headers: kombu 5.7's own (the envelope headers, MessageGroupId) plus the identity. */
class KombuPgmqHeadersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CeleryCodec codec = new CeleryCodec(CodecOptions.defaults());
    private final PgmqPayloads payloads = new PgmqPayloads(Map.of(), true);

    private JsonNode headersOf(byte[] raw) throws Exception {
        CeleryMessage msg = codec.decode(raw, "celery");
        return JSON.readTree(payloads.headers(msg, "celery", "pgmq", PayloadFormat.KOMBU));
    }

    @Test
    void theHeadersAreTheEnvelopeHeadersPlusTheIdentityAndNothingElse() throws Exception {
        byte[] raw = TestMessages.task("send_welcome_email", "ada@example.com");
        ObjectNode expected = (ObjectNode) JSON.readTree(raw).get("headers").deepCopy();
        expected.put(CeleryHeaders.IDENTITY, TestMessages.deliveryTag(raw));

        assertThat(headersOf(raw)).isEqualTo(expected);
    }

    @Test
    void aMessageGroupIdPropertyIsCopiedIntoTheHeadersAsKombuDoes() throws Exception {
        ObjectNode env = (ObjectNode) JSON.readTree(TestMessages.task("reports.daily", 1));
        ((ObjectNode) env.get("properties")).put("MessageGroupId", "tenant-7");

        JsonNode headers = headersOf(JSON.writeValueAsBytes(env));

        assertThat(headers.path("MessageGroupId").asText()).isEqualTo("tenant-7");
    }

    @Test
    void anEnvelopeHeaderOfTheSameNameWinsOverTheProperty() throws Exception {
        ObjectNode env = (ObjectNode) JSON.readTree(TestMessages.task("reports.daily", 1));
        ((ObjectNode) env.get("properties")).put("MessageGroupId", "from-properties");
        ((ObjectNode) env.get("headers")).put("MessageGroupId", "from-headers");

        assertThat(headersOf(JSON.writeValueAsBytes(env)).path("MessageGroupId").asText())
                .isEqualTo("from-headers");
    }

    @Test
    void theTaskFormatKeepsItsOwnCeleryHeaders() throws Exception {
        byte[] raw = TestMessages.task("send_welcome_email", "ada@example.com");
        CeleryMessage msg = codec.decode(raw, "celery");
        JsonNode task = JSON.readTree(payloads.headers(msg, "celery", "pgmq", PayloadFormat.TASK));

        assertThat(task.path(CeleryHeaders.TASK).asText()).isEqualTo("send_welcome_email");
        assertThat(task.has("lang")).isFalse();
        assertThat(new String(
                        payloads.message(msg, raw, PayloadFormat.KOMBU).getBytes(StandardCharsets.UTF_8),
                        StandardCharsets.UTF_8))
                .isEqualTo(new String(raw, StandardCharsets.UTF_8));
    }
}
