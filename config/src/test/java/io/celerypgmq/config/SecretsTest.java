package io.celerypgmq.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void masksThePasswordInUserInfo() {
        assertThat(Secrets.mask("postgresql://app:s3cr3t@db:5432/prod"))
                .isEqualTo("postgresql://app:****@db:5432/prod");
        assertThat(Secrets.mask("redis://:hunter2@cache:6379/0")).isEqualTo("redis://:****@cache:6379/0");
    }

    @Test
    void masksPasswordParametersInJdbcAndKeywordStrings() {
        assertThat(Secrets.mask("jdbc:postgresql://db/prod?user=app&password=s3cr3t&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/prod?user=app&password=****&ssl=true");
        assertThat(Secrets.mask("host=db password=s3cr3t dbname=prod")).isEqualTo("host=db password=**** dbname=prod");
    }

    @Test
    void leavesTextWithoutSecretsAlone() {
        assertThat(Secrets.mask("redis://cache:6379/0")).isEqualTo("redis://cache:6379/0");
    }

    @Test
    void scrubsAKnownSecretQuotedByADriver() {
        assertThat(Secrets.scrub("FATAL: password authentication failed (tried 'pa55')", "pa55"))
                .doesNotContain("pa55")
                .contains(Secrets.MASK);
    }
}
