package io.celerypgmq.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void masksEverythingBetweenTheSchemeAndTheLastAt() {
        assertThat(Secrets.mask("postgresql://app:s3cr3t@db:5432/prod")).isEqualTo("postgresql://****@db:5432/prod");
        assertThat(Secrets.mask("redis://:hunter2@cache:6379/0")).isEqualTo("redis://****@cache:6379/0");
    }

    @Test
    void masksPasswordsThatHoldReservedCharactersInRunningText() {
        String line = "cannot use 'redis://u:RdSec/ret#9z?x@y:z@127.0.0.1:6393/2' (no host), try again";

        assertThat(Secrets.mask(line))
                .isEqualTo("cannot use 'redis://****@127.0.0.1:6393/2' (no host), try again")
                .doesNotContain("RdSec", "ret", "9z");
    }

    @Test
    void aSettingValueIsMaskedUpToTheLastAtEvenWithSpacesOrQuotesInThePassword() {
        assertThat(Secrets.maskValue("postgresql://u:Pg Sec'ret\"9z@h/db")).isEqualTo("postgresql://****@h/db");
        assertThat(Secrets.maskValue("u:no-scheme@h:6379")).isEqualTo("****@h:6379");
        assertThat(Secrets.maskValue("jdbc:postgresql://db/prod?password=a&b=c&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/prod?password=****");
    }

    @Test
    void masksPasswordParametersInJdbcAndKeywordStrings() {
        assertThat(Secrets.mask("jdbc:postgresql://db/prod?user=app&password=s3cr3t&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/prod?user=app&password=****&ssl=true");
        assertThat(Secrets.mask("host=db password=s3cr3t dbname=prod")).isEqualTo("host=db password=**** dbname=prod");
    }

    @Test
    void aUrlMaskedAlreadyKeepsItsUser() {
        assertThat(Secrets.mask("Redis at redis://u:****@127.0.0.1:6393/2 is unavailable"))
                .isEqualTo("Redis at redis://u:****@127.0.0.1:6393/2 is unavailable");
        assertThat(Secrets.mask("redis://u:x@y:****@h/0")).isEqualTo("redis://****@h/0");
    }

    @Test
    void leavesTextWithoutSecretsAlone() {
        assertThat(Secrets.mask("redis://cache:6379/0")).isEqualTo("redis://cache:6379/0");
        assertThat(Secrets.maskValue("redis://cache:6379/0")).isEqualTo("redis://cache:6379/0");
    }

    @Test
    void scrubsAKnownSecretQuotedByADriver() {
        assertThat(Secrets.scrub("FATAL: password authentication failed (tried 'pa55')", "pa55"))
                .doesNotContain("pa55")
                .contains(Secrets.MASK);
    }
}
