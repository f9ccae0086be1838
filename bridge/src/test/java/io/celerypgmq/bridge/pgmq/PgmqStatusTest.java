package io.celerypgmq.bridge.pgmq;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PgmqStatusTest {

    @Test
    void eachKindDescribesItselfInOneLine() {
        assertThat(new PgmqStatus(PgmqStatus.Kind.EXTENSION, "1.13.1", "1.13.1").describe())
                .isEqualTo("pgmq extension 1.13.1");
        assertThat(new PgmqStatus(PgmqStatus.Kind.SQL_INSTALL, "unknown", null).describe())
                .isEqualTo("pgmq SQL install (version unknown)");
        assertThat(new PgmqStatus(PgmqStatus.Kind.COMPATIBLE_SCHEMA, "v1 (pgmq API 1.13)", null).describe())
                .isEqualTo("celery-pgmq compatible schema v1 (pgmq API 1.13), real pgmq not installed");
        assertThat(new PgmqStatus(PgmqStatus.Kind.ABSENT, null, "1.11.0").describe())
                .isEqualTo("pgmq not installed, pgmq extension 1.11.0 available");
    }

    @Test
    void onlyTheExtensionAndASqlInstallAreRealPgmq() {
        assertThat(new PgmqStatus(PgmqStatus.Kind.EXTENSION, "1.5.1", null).isRealPgmq())
                .isTrue();
        assertThat(new PgmqStatus(PgmqStatus.Kind.SQL_INSTALL, "unknown", null).isRealPgmq())
                .isTrue();
        assertThat(new PgmqStatus(PgmqStatus.Kind.COMPATIBLE_SCHEMA, "v1", null).isRealPgmq())
                .isFalse();
    }

    @Test
    void preferencesParseFromTheEnvironmentSpelling() {
        assertThat(PgmqPreference.parse(null)).isEqualTo(PgmqPreference.AUTO);
        assertThat(PgmqPreference.parse(" Extension ")).isEqualTo(PgmqPreference.EXTENSION);
        assertThat(PgmqPreference.parse("compat")).isEqualTo(PgmqPreference.COMPAT);
    }
}
