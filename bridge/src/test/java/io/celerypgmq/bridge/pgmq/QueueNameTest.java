package io.celerypgmq.bridge.pgmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueueNameTest {

    @Test
    void namesAreLowerCasedSoTablesAndMetaAgree() {
        QueueName name = QueueName.of("Celery.High");

        assertThat(name.value()).isEqualTo("celery.high");
        assertThat(name.queueTable()).isEqualTo("q_celery.high");
        assertThat(name.archiveTable()).isEqualTo("a_celery.high");
        assertThat(name).isEqualTo(QueueName.of("CELERY.HIGH"));
    }

    @Test
    void fortySevenCharactersIsTheLongestName() {
        assertThat(QueueName.of("a".repeat(47)).value()).hasSize(47);
        assertThatThrownBy(() -> QueueName.of("a".repeat(48)))
                .isInstanceOfSatisfying(InvalidQueueNameException.class, e -> {
                    assertThat(e.queueName()).isEqualTo("a".repeat(48));
                    assertThat(e.reason()).isEqualTo("queue name is too long, maximum length is 47 characters");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"tâches", "ÉMAILS", "queue\u00a0nbsp", "q\u2028x", "emoji\ud83d\ude00"})
    void nonAsciiNamesAreRefusedBecausePostgresFoldsAndCountsThemItsOwnWay(String name) {
        assertThatThrownBy(() -> QueueName.of(name))
                .isInstanceOf(InvalidQueueNameException.class)
                .hasMessageContaining("queue name contains");
    }

    @ParameterizedTest
    @ValueSource(strings = {"with space", " leading", "trailing ", "tab\there"})
    void namesWithWhiteSpaceAreRefused(String name) {
        assertThatThrownBy(() -> QueueName.of(name))
                .isInstanceOf(InvalidQueueNameException.class)
                .hasMessageContaining("queue name contains");
    }

    @Test
    void theMessageStatesTheRuleAndStaysOneLine() {
        assertThatThrownBy(() -> QueueName.of("q;x"))
                .hasMessage("invalid pgmq queue name 'q;x': queue name contains invalid characters: $, ;, --, or ';"
                        + " " + QueueName.RULE);
        assertThatThrownBy(() -> QueueName.of("a\nb"))
                .hasMessageNotContaining("\n")
                .hasMessageContaining("'a\\u000ab'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a$b", "a;b", "a--b", "it's", "$", "drop;--"})
    void charactersPgmqForbidsAreRefusedBeforeAnySql(String name) {
        assertThatThrownBy(() -> QueueName.of(name))
                .isInstanceOf(InvalidQueueNameException.class)
                .hasMessageContaining("invalid characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void blankNamesAreRefused(String name) {
        assertThatThrownBy(() -> QueueName.of(name)).isInstanceOf(InvalidQueueNameException.class);
    }

    @Test
    void aMissingNameIsRefused() {
        assertThatThrownBy(() -> QueueName.of(null)).hasMessageContaining("empty");
    }

    @Test
    void controlCharactersAreRefused() {
        assertThatThrownBy(() -> QueueName.of("a\nb")).hasMessageContaining("control character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"celery", "tasks.high", "queue-hyphened", "a-b", "x_1", "celery@host.pidbox", "a/b:c"})
    void namesPgmqAcceptsAreAccepted(String name) {
        assertThat(QueueName.of(name).value()).isEqualTo(name);
    }
}
