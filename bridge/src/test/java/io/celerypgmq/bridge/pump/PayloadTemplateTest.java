package io.celerypgmq.bridge.pump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.CeleryMessage;
import org.junit.jupiter.api.Test;

class PayloadTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    private static CeleryMessage message(String args, String kwargs) throws Exception {
        return CeleryMessage.builder()
                .protocol(2)
                .task("send_welcome_email")
                .id("t-1")
                .args((com.fasterxml.jackson.databind.node.ArrayNode) JSON.readTree(args))
                .kwargs(json(kwargs))
                .build();
    }

    private static final String SEED_SHAPE =
            "{\"task\": \"send_welcome_email\", \"email\": \"{args[0]}\", \"username\": \"{args[1]}\"}";

    @Test
    void theSeedsWelcomeEmailShapeIsProducedWithTypesKept() throws Exception {
        PayloadTemplate t = new PayloadTemplate("send_welcome_email", json(SEED_SHAPE));
        assertThat(t.apply(message("[\"ada@example.com\", \"Ada\"]", "{}")))
                .isEqualTo(json(
                        "{\"task\": \"send_welcome_email\", \"email\": \"ada@example.com\", \"username\": \"Ada\"}"));
        PayloadTemplate typed = new PayloadTemplate("x", json("{\"n\": \"{args[0]}\", \"meta\": {\"id\": \"{id}\"}}"));
        assertThat(typed.apply(message("[42]", "{}"))).isEqualTo(json("{\"n\": 42, \"meta\": {\"id\": \"t-1\"}}"));
    }

    @Test
    void theInverseRebuildsArgsAndKwargs() throws Exception {
        PayloadTemplate t = new PayloadTemplate(
                "send_welcome_email",
                json("{\"email\": \"{args[0]}\", \"name\": \"{kwargs[username]}\", \"id\": \"{id}\"}"));
        PayloadTemplate.Inverted inv = t.invert(json("{\"email\": \"a@b.c\", \"name\": \"Ada\", \"id\": \"t-9\"}"));
        assertThat(inv.args().toString()).isEqualTo("[\"a@b.c\"]");
        assertThat(inv.kwargs().toString()).isEqualTo("{\"username\":\"Ada\"}");
        assertThat(inv.id()).isEqualTo("t-9");
    }

    @Test
    void aMessageWithAnArgumentTheTemplateCannotCarryIsRefusedNotTruncated() throws Exception {
        PayloadTemplate t = new PayloadTemplate("send_welcome_email", json(SEED_SHAPE));
        assertThatThrownBy(() -> t.apply(message("[\"a\", \"b\", \"c\"]", "{}")))
                .isInstanceOf(TemplateMismatchException.class)
                .hasMessageContaining("3 positional arguments");
        assertThatThrownBy(() -> t.apply(message("[\"a\"]", "{\"extra\": 1}")))
                .hasMessageContaining("keyword argument 'extra'");
    }

    @Test
    void aTemplateThatSkipsAPositionIsRejectedAtConfiguration() {
        assertThatThrownBy(() -> new PayloadTemplate("x", json("{\"b\": \"{args[1]}\"}")))
                .hasMessageContaining("skips args[0]");
    }
}
