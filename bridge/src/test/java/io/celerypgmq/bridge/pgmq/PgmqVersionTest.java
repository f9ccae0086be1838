package io.celerypgmq.bridge.pgmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PgmqVersionTest {

    @Test
    void versionsCompareNumericallyNotAlphabetically() {
        assertThat(PgmqVersion.parse("1.10.0")).isGreaterThan(PgmqVersion.parse("1.9.1"));
        assertThat(PgmqVersion.parse("1.13.1").isAtLeast(PgmqVersion.MINIMUM)).isTrue();
        assertThat(PgmqVersion.parse("1.4.5").isAtLeast(PgmqVersion.MINIMUM)).isFalse();
    }

    @Test
    void shortAndSuffixedVersionsParse() {
        assertThat(PgmqVersion.parse("1.5")).isEqualTo(new PgmqVersion(1, 5, 0));
        assertThat(PgmqVersion.parse("1.6.0-dev").toString()).isEqualTo("1.6.0");
    }

    @Test
    void somethingElseIsNotAVersion() {
        assertThatThrownBy(() -> PgmqVersion.parse("unknown")).hasMessageContaining("'unknown'");
    }
}
