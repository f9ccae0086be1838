package io.celerypgmq.bridge.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.config.ConnectionSettings;
import io.celerypgmq.config.RedisUrl;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import io.celerypgmq.testkit.celery.CallSpec;
import io.celerypgmq.testkit.celery.PublishOptions;
import io.celerypgmq.testkit.celery.PublishedCall;
import io.celerypgmq.testkit.celery.RealCelery;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** A deliberately misconfigured Celery broker: every hazard doctor knows is planted once, and each must be named. */
@RealBackends
class DoctorFindsMisconfigurationTest {
    static final String LONG_QUEUE = "reports_generation_for_enterprise_customers_daily_v2";
    private static final String SEP = PriorityKeys.DEFAULT_SEPARATOR;

    private static JedisPooled redis;
    private static DataSource db;
    private static TestPostgres pg;
    private static List<PublishedCall> published;
    private static DoctorReport report;

    @BeforeAll
    static void plantHazards(TestRedis backend, TestPostgres postgres) {
        pg = postgres;
        db = postgres.dataSource();
        redis = RedisConnections.open(backend.url());
        RealCelery celery = RealCelery.require();
        published = celery.publish(
                backend.url(),
                List.of(
                        CallSpec.task("reports.build", "acme").queue(LONG_QUEUE),
                        CallSpec.task("tasks.add", 1, 2).countdown(7200),
                        CallSpec.task("tasks.echo", "orphan").queue("orphan_q"),
                        CallSpec.task("tasks.echo", "nobody").queue("old_q"),
                        CallSpec.task("tasks.echo", "held").queue("q_eta").countdown(900)),
                PublishOptions.defaults());
        celery.publish(
                backend.url(),
                List.of(CallSpec.task("tasks.mul", 2, 2)),
                PublishOptions.defaults().withTaskProtocol(1));
        // The binding of orphan_q is gone, as after an eviction or a FLUSH of the key.
        redis.del("_kombu.binding.orphan_q");
        // A routing change left the old queue bound to the same routing key.
        redis.sadd(
                "_kombu.binding.ex_orders",
                "orders.created" + SEP + SEP + "q_new",
                "orders.created" + SEP + SEP + "q_old");
        // A worker reserved the 15-minute countdown 50 minutes ago: kombu restores it 10 minutes from now, before its
        // ETA.
        byte[] held = redis.rpop("q_eta".getBytes(StandardCharsets.UTF_8));
        String tag = published.get(4).messageId() + "-tag";
        redis.hset("unacked", tag, "[" + new String(held, StandardCharsets.UTF_8) + ", \"\", \"q_eta\"]");
        redis.zadd("unacked_index", Instant.now().minusSeconds(3000).getEpochSecond(), tag);
        report = doctor(Clock.systemUTC())
                .examine(reach(backend), StoreReach.reached(postgres.url().masked(), db));
    }

    @AfterAll
    static void close() {
        if (redis != null) {
            redis.close();
        }
    }

    private static Doctor doctor(Clock clock) {
        return new Doctor(
                DoctorOptions.defaults(PriorityKeys.defaults()).withConsumerSample(Duration.ofMillis(300)), clock);
    }

    private static StoreReach<redis.clients.jedis.UnifiedJedis> reach(TestRedis backend) {
        return StoreReach.reached(backend.url().masked(), redis);
    }

    private static Finding only(Severity severity, String check, String subject) {
        List<Finding> found = report.of(severity).stream()
                .filter(f -> f.check().equals(check) && f.subject().equals(subject))
                .toList();
        assertThat(found)
                .as("%s %s %s in %s", severity, check, subject, String.join("\n", report.text()))
                .hasSize(1);
        return found.get(0);
    }

    @Test
    void anEtaBeyondTheVisibilityTimeoutIsAnErrorWithTheTimeoutToSet() {
        Finding eta = only(Severity.ERROR, "eta", "celery");
        assertThat(eta.problem()).contains("1 message(s)").contains("tasks.add").contains("run twice");
        assertThat(eta.problem()).contains(published.get(1).messageId());
        assertThat(eta.fix()).containsPattern("'visibility_timeout': 72\\d\\d").contains("route set");
    }

    @Test
    void anUnackedEntryIsJudgedFromItsDeliveryNotFromNow() {
        Finding eta = only(Severity.ERROR, "eta", "q_eta");
        assertThat(eta.problem())
                .contains("tasks.echo")
                .contains(published.get(4).messageId());
    }

    @Test
    void aQueueNameOverPgmqsLimitIsReportedWithAShorterName() {
        Finding name = only(Severity.WARNING, "queue-names", LONG_QUEUE);
        assertThat(name.problem()).contains("too long, maximum length is 47");
        assertThat(name.fix()).containsPattern("--queue reports_generation_for_enterprise_cust_[0-9a-f]{8}$");
    }

    @Test
    void aQueueWhoseBindingIsGoneIsReported() {
        Finding missing = only(Severity.WARNING, "bindings", "orphan_q");
        assertThat(missing.problem()).startsWith("no _kombu.binding.* set targets this queue");
        assertThat(missing.fix()).contains("-Q orphan_q");
    }

    @Test
    void aBoundQueueNobodyTakesFromIsReportedAsStale() {
        Finding stale = only(Severity.WARNING, "bindings", "old_q");
        assertThat(stale.problem()).contains("_kombu.binding.old_q").contains("nothing took from its 1 waiting");
        assertThat(stale.fix()).contains("SREM _kombu.binding.");
    }

    @Test
    void oneRoutingKeyBoundToTwoQueuesIsReported() {
        Finding shared = only(Severity.WARNING, "bindings", "ex_orders / orders.created");
        assertThat(shared.problem()).contains("q_new, q_old");
    }

    @Test
    void mixedProtocolsAreReportedWithTheProtocolOneTasks() {
        Finding mixed = only(Severity.WARNING, "protocol", "all queues");
        assertThat(mixed.problem())
                .contains("1 protocol-1")
                .contains("tasks.mul")
                .contains("celery (1 of 2)");
        assertThat(mixed.fix()).contains("task_protocol = 2");
    }

    @Test
    void aMissingPgmqIsReportedWithTheCommandThatInstallsIt() {
        Finding pgmq = only(Severity.WARNING, "pgmq", pg.url().masked());
        assertThat(pgmq.fix()).startsWith("celery-pgmq pgmq install");
    }

    @Test
    void errorsMakeTheReportFailAndEveryProblemCarriesAFix() {
        assertThat(report.hasErrors()).isTrue();
        assertThat(report.count(Severity.ERROR)).isEqualTo(2);
        assertThat(report.findings())
                .filteredOn(f -> f.severity() != Severity.INFO)
                .allSatisfy(f -> assertThat(f.fix()).isNotBlank());
        assertThat(report.text().get(0))
                .isEqualTo("celery-pgmq doctor: 2 error(s), " + report.count(Severity.WARNING) + " warning(s), "
                        + report.count(Severity.INFO) + " note(s)");
        assertThat(report.json()).contains("\"errors\":2").contains("\"severity\":\"error\",\"check\":\"eta\"");
    }

    @Test
    void doctorChangesNothingInRedis() {
        var before = io.celerypgmq.bridge.inspect.RedisSnapshot.of(redis);
        doctor(Clock.systemUTC()).examine(StoreReach.reached("redis", redis), StoreReach.reached("pg", db));
        assertThat(io.celerypgmq.bridge.inspect.RedisSnapshot.of(redis)).isEqualTo(before);
    }

    @Test
    void aClockFiveMinutesOffIsAnErrorForBothStores(TestRedis backend) {
        Clock skewed = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(5));
        DoctorReport r = doctor(skewed)
                .examine(reach(backend), StoreReach.reached(pg.url().masked(), db));
        assertThat(r.of(Severity.ERROR))
                .filteredOn(f -> f.check().equals("clock"))
                .extracting(Finding::problem)
                .anySatisfy(
                        p -> assertThat(p).containsPattern("^Redis's clock is (299|300)\\d{3} ms behind this host's"))
                .anySatisfy(p -> assertThat(p).containsPattern("^Postgres's clock is (299|300)\\d{3} ms behind"));
    }

    @Test
    void anUnreachableStoreIsAnErrorFindingAndTheOtherIsStillChecked(TestPostgres postgres) {
        ConnectionSettings settings =
                new ConnectionSettings(RedisUrl.parse("redis://127.0.0.1:1/0"), postgres.url(), 1);
        DoctorReport r = doctor(Clock.systemUTC()).examine(settings);

        Finding down = r.of(Severity.ERROR).stream()
                .filter(f -> f.check().equals("redis"))
                .findFirst()
                .orElseThrow();
        assertThat(down.problem()).contains("Redis at redis://127.0.0.1:1/0 is unavailable");
        assertThat(down.fix()).contains("--redis-url");
        assertThat(r.findings()).anySatisfy(f -> assertThat(f.problem()).startsWith("PostgreSQL "));
    }
}
