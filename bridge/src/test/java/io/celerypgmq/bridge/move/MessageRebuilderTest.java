package io.celerypgmq.bridge.move;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CodecOptions;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rebuild of a message whose original envelope was kept: pure logic, no stores. */
class MessageRebuilderTest {
    private static final UUID TAG = UUID.fromString("00000000-0000-4000-8000-000000000001");

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void retaggingReplacesOnlyTheDeliveryTagsValue() {
        String envelope = "{\"body\": \"e30=\", \"properties\": {\"delivery_tag\": \"old-tag\", \"priority\": 3}}";
        assertThat(text(MessageRebuilder.retag(envelope.getBytes(StandardCharsets.UTF_8), TAG)))
                .isEqualTo(envelope.replace("old-tag", TAG.toString()));
    }

    @Test
    void retaggingKeepsEveryOtherByteEvenOnesThatAreNotValidUtf8() {
        byte[] head =
                "{\"headers\": {\"argsrepr\": \"('caf\u00e9', '\u4e2d')\"}, \"x\": \"".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\", \"properties\": {\"delivery_tag\": \"old\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] envelope = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, envelope, 0, head.length);
        envelope[head.length] = (byte) 0xff; // a lone byte no UTF-8 decoder would keep
        System.arraycopy(tail, 0, envelope, head.length + 1, tail.length);

        byte[] retagged = MessageRebuilder.retag(envelope, TAG);

        int at = head.length + 1 + tail.length - 6; // where "old"}} starts
        assertThat(java.util.Arrays.copyOfRange(retagged, 0, at))
                .isEqualTo(java.util.Arrays.copyOfRange(envelope, 0, at));
        assertThat(new String(retagged, at, retagged.length - at, StandardCharsets.UTF_8))
                .isEqualTo(TAG + "\"}}");
    }

    @Test
    void theReturnedTagIsTheNameBasedUuidOfTheQueueAndMsgId() {
        assertThat(MessageRebuilder.returnedTag("user_tasks", 42))
                .isEqualTo(java.util.UUID.nameUUIDFromBytes(
                        "celery-pgmq:returned:user_tasks:42".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aDeliveryTagQuotedInsideAnEscapedStringIsNotTheOneReplaced() {
        String envelope = "{\"headers\": {\"argsrepr\": \"[\\\"delivery_tag\\\": \\\"x\\\"]\"},"
                + " \"properties\": {\"delivery_tag\":\"old\"}}";
        assertThat(text(MessageRebuilder.retag(envelope.getBytes(StandardCharsets.UTF_8), TAG)))
                .isEqualTo(envelope.replace("\"old\"", "\"" + TAG + "\""));
    }

    @Test
    void anEnvelopeWithoutOrWithTwoDeliveryTagsCannotBeRetagged() {
        assertThatThrownBy(() -> MessageRebuilder.retag("{\"properties\": {}}".getBytes(StandardCharsets.UTF_8), TAG))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageRebuilder.retag(
                        "{\"a\": {\"delivery_tag\": \"1\"}, \"b\": {\"delivery_tag\": \"2\"}}"
                                .getBytes(StandardCharsets.UTF_8),
                        TAG))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKeptEnvelopeWhoseTagIsNotInItsPropertiesIsRefusedNotPushed() {
        // "delivery_tag" once, but in the headers: retagging it would leave properties without the new tag
        byte[] kept = TestMessages.task("send_welcome_email", "a@b.c", "A");
        String misplaced = text(kept)
                .replace("\"delivery_tag\"", "\"tag_of_delivery\"")
                .replace("\"lang\"", "\"delivery_tag\": \"h\", \"lang\"");
        MessageRebuilder rebuilder = new MessageRebuilder(new CeleryCodec(CodecOptions.defaults()), Map.of());
        String headers = "{\"x-celery-identity\": \"i-1\", \"x-celery-format\": \"task\"}";
        PgmqMessage row = new PgmqMessage(7, 1, Instant.now(), null, Instant.now(), "{}", headers);

        assertThatThrownBy(() -> rebuilder.rebuild(
                        row, "q", "celery", Map.of("i-1", misplaced.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delivery_tag");
        MessageRebuilder.Rebuilt ok = rebuilder.rebuild(row, "q", "celery", Map.of("i-1", kept));
        assertThat(TestMessages.deliveryTag(ok.bytes()))
                .isEqualTo(MessageRebuilder.returnedTag("q", 7).toString());
    }
}
