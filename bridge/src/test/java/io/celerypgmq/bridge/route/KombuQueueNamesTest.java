package io.celerypgmq.bridge.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.config.ConfigSource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KombuQueueNamesTest {
    private static final KombuQueueNames PLAIN = KombuQueueNames.defaults();

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "celery|celery",
                "k57.fast-q|k57_fast_q",
                "user_tasks|user_tasks",
                "Reports.High|Reports_High",
                "a:b/c@d|a_b_c_d",
                "café.queue|café_queue",
                "with space|with space"
            })
    void mapsPunctuationButNotUnderscoreCaseSpacesOrLetters(String celery, String pgmq) {
        assertThat(PLAIN.pgmqName(celery)).isEqualTo(pgmq);
    }

    @Test
    void everyAsciiPunctuationCharacterButUnderscoreBecomesAnUnderscore() {
        String punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"; // Python's string.punctuation
        assertThat(PLAIN.pgmqName(punctuation)).isEqualTo("_".repeat(punctuation.length()));
        assertThat(PLAIN.pgmqName("azAZ09")).isEqualTo("azAZ09");
    }

    @Test
    void thePrefixIsPrependedAndMappedToo() {
        KombuQueueNames prefixed = new KombuQueueNames("pfx-");
        assertThat(prefixed.pgmqName("k57.fast-q")).isEqualTo("pfx_k57_fast_q");
        assertThat(prefixed.renames("celery")).isTrue();
    }

    @Test
    void saysWhetherKombuRenamesAQueue() {
        assertThat(PLAIN.renames("celery")).isFalse();
        assertThat(PLAIN.renames("k57.fast-q")).isTrue();
    }

    @Test
    void thePrefixComesFromTheConfiguration() {
        ConfigSource source = ConfigSource.of(Map.of(), Map.of(KombuQueueNames.PREFIX.key(), "tenant1."));
        assertThat(KombuQueueNames.from(source).pgmqName("emails")).isEqualTo("tenant1_emails");
        assertThat(KombuQueueNames.from(ConfigSource.of(Map.of(), Map.of())).prefix())
                .isEmpty();
    }
}
