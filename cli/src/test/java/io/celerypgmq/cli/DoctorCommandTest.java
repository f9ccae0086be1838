package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import io.celerypgmq.testkit.celery.CallSpec;
import io.celerypgmq.testkit.celery.PublishOptions;
import io.celerypgmq.testkit.celery.RealCelery;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@RealBackends
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DoctorCommandTest {

    private static String redisUrl(TestRedis redis) {
        return "redis://" + redis.host() + ":" + redis.port() + "/" + redis.database();
    }

    private static String db(TestPostgres pg) {
        return pg.url().jdbcUrl() + "?user="
                + (pg.url().user() == null ? "postgres" : pg.url().user());
    }

    @Test
    @Order(1)
    void anEmptyBrokerAndAReadyPostgresPassWithExitZero(TestRedis redis, TestPostgres pg) {
        PgmqInstaller.ensure(pg.dataSource());
        Cli cli = Cli.run("doctor", "--redis-url", redisUrl(redis), "--database-url", db(pg));

        assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).startsWith("celery-pgmq doctor: 0 error(s)").contains("INFO (");
    }

    @Test
    @Order(2)
    void anEtaBeyondTheVisibilityTimeoutFailsWithExitOneAndJsonNamesIt(TestRedis redis, TestPostgres pg)
            throws Exception {
        RealCelery.require()
                .publish(
                        redis.url(),
                        List.of(CallSpec.task("reports.nightly", "all").countdown(600)),
                        PublishOptions.defaults());

        Cli relaxed =
                Cli.run("doctor", "--consumer-sample", "100", "--redis-url", redisUrl(redis), "--database-url", db(pg));
        assertThat(relaxed.exitCode()).as(relaxed.out()).isZero();

        Cli strict = Cli.run(
                "doctor",
                "--json",
                "--visibility-timeout",
                "300",
                "--consumer-sample",
                "100",
                "--redis-url",
                redisUrl(redis),
                "--database-url",
                db(pg));
        assertThat(strict.exitCode()).isEqualTo(ExitCode.VERIFICATION_FAILED);
        JsonNode report = new ObjectMapper().readTree(strict.out());
        assertThat(report.get("errors").asInt()).isEqualTo(1);
        JsonNode eta = report.get("findings").get(0);
        assertThat(eta.get("check").asText()).isEqualTo("eta");
        assertThat(eta.get("subject").asText()).isEqualTo("celery");
        assertThat(eta.get("problem").asText()).contains("reports.nightly");
        assertThat(eta.get("fix").asText()).contains("visibility_timeout");
    }

    @Test
    @Order(3)
    void anUnreachableRedisIsAFindingNotACrash(TestPostgres pg) {
        Cli cli = Cli.run("doctor", "--redis-url", "redis://127.0.0.1:1/0", "--database-url", db(pg));

        assertThat(cli.exitCode()).isEqualTo(ExitCode.VERIFICATION_FAILED);
        assertThat(cli.out()).contains("[redis] redis://127.0.0.1:1/0: Redis at redis://127.0.0.1:1/0 is unavailable");
    }

    @Test
    @Order(4)
    void aNegativeSampleIsAUsageError() {
        Cli cli = Cli.run("doctor", "--consumer-sample", "-5");

        assertThat(cli.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err()).contains("consumer sample must not be negative");
    }
}
