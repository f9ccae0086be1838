package io.celerypgmq.bridge.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import io.celerypgmq.testkit.celery.CallSpec;
import io.celerypgmq.testkit.celery.CeleryWorker;
import io.celerypgmq.testkit.celery.PublishOptions;
import io.celerypgmq.testkit.celery.PublishedCall;
import io.celerypgmq.testkit.celery.RealCelery;
import io.celerypgmq.testkit.celery.WorkerOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** A healthy setup: a real worker consumes, Postgres has pgmq and our schema. Doctor must not cry wolf. */
@RealBackends
class DoctorOnACleanSetupTest {

    @Test
    void aCleanSetupReportsNoErrorAndNoHazard(TestRedis backend, TestPostgres pg) {
        PgmqInstaller.ensure(pg.dataSource());
        BridgeSchema.install(pg.dataSource());
        RealCelery celery = RealCelery.require();
        DoctorReport report;
        try (CeleryWorker worker = celery.startWorker(backend.url(), WorkerOptions.defaults());
                JedisPooled redis = RedisConnections.open(backend.url())) {
            List<PublishedCall> calls = celery.publish(
                    backend.url(),
                    List.of(
                            CallSpec.task("tasks.add", 2, 3),
                            CallSpec.task("tasks.add", 4, 5).countdown(1)),
                    PublishOptions.defaults());
            worker.awaitExecutionsOf(
                    calls.stream().map(PublishedCall::messageId).toList(), Duration.ofSeconds(30));
            report = new Doctor(
                            DoctorOptions.defaults(PriorityKeys.defaults()).withConsumerSample(Duration.ofMillis(300)),
                            Clock.systemUTC())
                    .examine(
                            StoreReach.reached(backend.url().masked(), redis),
                            StoreReach.reached(pg.url().masked(), pg.dataSource()));
        }

        assertThat(report.hasErrors()).as(String.join("\n", report.text())).isFalse();
        // Only the stand-in for pgmq may be worth a warning here, where the real extension may be missing.
        assertThat(report.of(Severity.WARNING))
                .as(String.join("\n", report.text()))
                .allSatisfy(f -> assertThat(f.check()).isEqualTo("pgmq"));
        assertThat(report.of(Severity.INFO))
                .extracting(Finding::check)
                .contains("redis", "postgres", "permissions", "clock", "messages");
        // pgmq is reported either way: INFO on the real extension, a WARNING on the compatible schema
        assertThat(java.util.stream.Stream.concat(
                                report.of(Severity.INFO).stream(), report.of(Severity.WARNING).stream())
                        .map(Finding::check))
                .contains("pgmq");
        assertThat(report.text().get(0)).startsWith("celery-pgmq doctor: 0 error(s)");
    }
}
