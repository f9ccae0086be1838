package io.celerypgmq.bridge.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.bridge.codec.PriorityKeys;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyLayoutAndBindingTest {
    private static final String SEP = PriorityKeys.DEFAULT_SEPARATOR;

    @Test
    void theSeparatorIsWrittenWithEscapesAsInYaml() {
        PriorityKeys keys = KeyLayout.parse("0, 3,6,9", "\\x06\\x16", "pfx:");
        assertThat(keys).isEqualTo(new PriorityKeys(List.of(0, 3, 6, 9), SEP, "pfx:"));
        assertThat(KeyLayout.unescape("\\xZZ:")).isEqualTo("\\xZZ:");
    }

    @Test
    void badStepsNameTheValue() {
        assertThatThrownBy(() -> KeyLayout.parse("0,x", ":", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'0,x'");
        assertThatThrownBy(() -> KeyLayout.parse("0,12", ":", "")).hasMessageContaining("within 0..9");
    }

    @Test
    void aBindingMemberHasRoutingKeyPatternAndQueue() {
        assertThat(Binding.parse("celery", "celery" + SEP + SEP + "celery", SEP))
                .contains(new Binding("celery", "celery", "", "celery"));
        assertThat(Binding.parse("ex_topic", "orders.#" + SEP + "^orders\\..*?$" + SEP + "q_topic", SEP))
                .contains(new Binding("ex_topic", "orders.#", "^orders\\..*?$", "q_topic"));
        assertThat(Binding.parse("x", "no separators", SEP)).isEqualTo(Optional.empty());
        assertThat(Binding.parse("x", "rk" + SEP + SEP, SEP)).isEqualTo(Optional.empty());
    }

    @Test
    void workersRemoteControlBindingsAreCeleryInternal() {
        assertThat(new Binding("celery.pidbox", "", "", "w1@host.celery.pidbox").isCeleryInternal())
                .isTrue();
        assertThat(new Binding("celeryev", "worker.#", "", "celeryev.1234").isCeleryInternal())
                .isTrue();
        assertThat(new Binding("celery", "celery", "", "celery").isCeleryInternal())
                .isFalse();
    }

    @Test
    void anUnackedEntryGoesBackToItsRoutingKeyOrThroughItsExchangesBindings() {
        RestoreTarget queues = new RestoreTarget(List.of(
                new Binding("ex_direct", "rk.direct", "", "q_direct"),
                new Binding("ex_topic", "orders.#", "^orders\\..*?$", "q_topic")));

        assertThat(queues.queueOf("", "celery")).isEqualTo("celery");
        assertThat(queues.queueOf("ex_direct", "rk.direct")).isEqualTo("q_direct");
        assertThat(queues.queueOf("ex_topic", "orders.created")).isEqualTo("q_topic");
        assertThat(queues.queueOf("ex_direct", "other")).isNull();
    }

    @Test
    void keysAreShownWithTheSeparatorEscaped() {
        assertThat(PrintableKey.of("celery" + SEP + "9")).isEqualTo("celery\\x06\\x169");
        assertThat(PrintableKey.of(null)).isEqualTo("<unknown key>");
    }
}
