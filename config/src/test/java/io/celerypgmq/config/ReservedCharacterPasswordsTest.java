package io.celerypgmq.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generated passwords hold URL-reserved characters. The user information runs to the last {@code @}, so they work
 * as written, and a URL that is wrong for another reason is reported without them.
 */
class ReservedCharacterPasswordsTest {
    private static final String[] RESERVED = {"/", "#", "?", "@", ":", "+", "&", "=", " ", "'", "\"", "[", "]", ";"};

    @ParameterizedTest
    @ValueSource(strings = {"/", "#", "?", "@", ":", "+", "&", "=", " ", "'", "\"", "[", "]", ";", "@@", "/#?@:"})
    void aRedisPasswordWithReservedCharactersIsTakenAsWritten(String reserved) {
        String password = "Rd" + reserved + "Sec9z";

        RedisUrl url = RedisUrl.parse("redis://u:" + password + "@127.0.0.1:6393/2");

        assertThat(url).isEqualTo(new RedisUrl("127.0.0.1", 6393, 2, "u", password, false));
        assertThat(url.masked()).isEqualTo("redis://u:****@127.0.0.1:6393/2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "#", "?", "@", ":", "+", "&", "=", " ", "'", "\"", "[", "]", ";", "@@", "/#?@:"})
    void aPostgresPasswordWithReservedCharactersIsTakenAsWritten(String reserved) {
        String password = "Pg" + reserved + "Sec9z";

        DatabaseUrl url = DatabaseUrl.parse("postgresql://u:" + password + "@db.internal:6543/app?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/app?sslmode=require");
        assertThat(url.user()).isEqualTo("u");
        assertThat(url.password()).isEqualTo(password);
        assertThat(url.masked()).doesNotContain("Sec9z");
    }

    @org.junit.jupiter.api.Test
    void theIssuesExamplesConnectWhereTheyPointWithTheirWholePassword() {
        assertThat(RedisUrl.parse("redis://u:RdSec/ret9z@127.0.0.1:6393/2"))
                .isEqualTo(new RedisUrl("127.0.0.1", 6393, 2, "u", "RdSec/ret9z", false));
        DatabaseUrl pg = DatabaseUrl.parse("postgresql://u:Pg@Sec/ret#9z@h/db");
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db");
        assertThat(pg.password()).isEqualTo("Pg@Sec/ret#9z");
    }

    @org.junit.jupiter.api.Test
    void percentEscapesStillDecodeAndAPlusStaysAPlus() {
        assertThat(RedisUrl.parse("redis://:p%40ss%2Fw+rd@cache/0").password()).isEqualTo("p@ss/w+rd");
        assertThat(DatabaseUrl.parse("postgresql://app:p%40ss+1@db/prod").password())
                .isEqualTo("p@ss+1");
        assertThat(DatabaseUrl.parse("postgresql://app:%C3%A9t%C3%A9@db/prod").password())
                .isEqualTo("été");
    }

    @org.junit.jupiter.api.Test
    void aPercentThatStartsNoEscapeIsRefusedWithoutQuotingThePassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://app:100%Sec9z@db/prod"))
                .hasMessageContaining("%25")
                .hasMessageNotContaining("Sec9z");
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:postgresql://db/prod?user=app&password=100%zzSec9z"))
                .hasMessageContaining("%25")
                .hasMessageNotContaining("Sec9z");
    }

    @org.junit.jupiter.api.Test
    void aPasswordInTheLibpqQueryNeverReachesTheJdbcUrl() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://db/prod?user=app&password=Sec9z&sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/prod?sslmode=require");
        assertThat(url.password()).isEqualTo("Sec9z");
        assertThat(url.user()).isEqualTo("app");
    }

    @org.junit.jupiter.api.Test
    void credentialsBeforeAnAtInTheJdbcFormAreRefusedNotTakenForAHost() {
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:postgresql://app:Sec9z@db/prod"))
                .hasMessageContaining("as parameters")
                .hasMessageNotContaining("Sec9z");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "redis://u:%s@127.0.0.1:63x3/2", // a port that is not a number
                "redis://u:%s@127.0.0.1:6393/two", // a database that is not a number
                "http://u:%s@127.0.0.1:6393/2", // the wrong scheme
                "redis://u:%s@/2", // no host
                "redis://u:%s@127.0.0.1:6393/2 trailing", // white space after the host
            })
    void aBadRedisUrlIsReportedByKeyWithTheCredentialsMasked(String template) {
        for (String reserved : RESERVED) {
            String url = String.format(template, "Rd" + reserved + "Sec9z");
            assertThatThrownBy(() -> ConnectionSettings.from(
                            ConfigSource.of(Map.of(), Map.of(ConnectionSettings.REDIS_URL.key(), url))))
                    .as(url)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("redis.url: bad value '")
                    .hasMessageContaining("://****@")
                    .hasMessageNotContaining("Sec9z")
                    .hasMessageNotContaining("Rd" + reserved);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "postgresql://u:%s@db.internal:54x2/app", // a port that is not a number
                "mysql://u:%s@db.internal/app", // the wrong scheme
                "postgresql://u:%s@/app", // no host
                "jdbc:postgresql://u:%s@db.internal/app", // credentials where the JDBC form takes a host
                "jdbc:postgresql://db.internal/app?user=u&password=%s&ssl=x%%zz", // a bad escape after it
            })
    void aBadDatabaseUrlIsReportedByKeyWithTheCredentialsMasked(String template) {
        for (String reserved : RESERVED) {
            String url = String.format(template, "Pg" + reserved + "Sec9z");
            assertThatThrownBy(() -> ConnectionSettings.from(
                            ConfigSource.of(Map.of(ConnectionSettings.DATABASE_URL.envVar(), url), Map.of())))
                    .as(url)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("database.url: bad value '")
                    .hasMessageContaining("CELERY_PGMQ_DATABASE_URL")
                    .hasMessageNotContaining("Sec9z")
                    .hasMessageNotContaining("Pg" + reserved);
        }
    }
}
