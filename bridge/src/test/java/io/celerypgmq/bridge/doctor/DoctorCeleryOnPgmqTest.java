package io.celerypgmq.bridge.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.PgmqPreference;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import io.celerypgmq.testkit.celery.CallSpec;
import io.celerypgmq.testkit.celery.PublishOptions;
import io.celerypgmq.testkit.celery.RealCelery;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** doctor on the path to Celery workers on pgmq://: real Celery puts the messages there, the routes are real rows. */
@RealBackends
class DoctorCeleryOnPgmqTest {
    private TestRedis backend;
    private TestPostgres pg;
    private DataSource db;

    @BeforeEach
    void setUp(TestRedis backend, TestPostgres pg) throws SQLException {
        this.backend = backend;
        this.pg = pg;
        this.db = pg.dataSource();
        try (JedisPooled redis = RedisConnections.open(backend.url())) {
            redis.flushDB();
        }
        // One database serves the class: each test starts with no pgmq at all, whichever ran before it.
        sql("DROP EXTENSION IF EXISTS pgmq CASCADE");
        sql("DROP SCHEMA IF EXISTS pgmq CASCADE");
        BridgeSchema.install(db);
        sql("DELETE FROM celery_pgmq.routes");
        RealCelery.require()
                .publish(
                        backend.url(),
                        List.of(
                                CallSpec.task("tasks.add", 1, 2).expiresIn(Duration.ofMinutes(10)),
                                CallSpec.task("tasks.mul", 2, 3).countdown(3600).queue("k57.fast-q"),
                                CallSpec.task("tasks.echo", "long").with("time_limit", 7200)),
                        PublishOptions.defaults());
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private DoctorReport examine() {
        DoctorOptions options = DoctorOptions.defaults(PriorityKeys.defaults()).withConsumerSample(Duration.ZERO);
        try (JedisPooled redis = RedisConnections.open(backend.url())) {
            return new Doctor(options, Clock.systemUTC())
                    .examine(StoreReach.reached("redis", redis), StoreReach.reached("postgres", db));
        }
    }

    private static List<Finding> celeryOnPgmq(DoctorReport report) {
        return report.findings().stream()
                .filter(f -> f.check().equals(CeleryOnPgmqCheck.CHECK))
                .toList();
    }

    @Test
    void beforeAnyKombuRouteTheHazardsAreInformationWithTheirFix() {
        List<Finding> found = celeryOnPgmq(examine());

        assertThat(found).allMatch(f -> f.severity() == Severity.INFO);
        assertThat(found)
                .extracting(Finding::problem)
                .anyMatch(p -> p.contains("1 message(s) carry expires (tasks tasks.add)")
                        && p.contains("delays a message by its expiration"))
                .anyMatch(p ->
                        p.contains("tasks.mul") && p.contains("longer than the pgmq:// visibility timeout (1800 s)"))
                .anyMatch(p -> p.contains("tasks.echo may run 7200 s (its time limit)"))
                .anyMatch(p -> p.contains("started with -Q k57.fast-q reads pgmq queue k57_fast_q"));
    }

    @Test
    void withAKombuRouteTheyAreWarningsAndAnUntrackedOrMisnamedRouteIsNamed() throws SQLException {
        sql("INSERT INTO celery_pgmq.routes (task_pattern, mode, percent, pgmq_queue, format, version, updated_by)"
                + " VALUES ('tasks.mul', 'pgmq', 10, 'k57.fast-q', 'kombu', 1, 'test')");

        DoctorReport report = examine();
        List<Finding> found = celeryOnPgmq(report);

        assertThat(found)
                .filteredOn(f -> f.subject().equals("all queues"))
                .allMatch(f -> f.severity() == Severity.WARNING);
        assertThat(found)
                .filteredOn(f -> f.subject().equals("tasks.mul"))
                .extracting(Finding::problem)
                .anyMatch(p -> p.contains("writes to pgmq queue k57.fast-q, a name kombu's pgmq transport never uses"))
                .anyMatch(p -> p.contains("deletes on pgmq queue k57.fast-q are not logged"));
        assertThat(found)
                .filteredOn(f -> f.subject().equals("tasks.mul"))
                .hasSize(2)
                .allMatch(f -> !f.fix().isBlank());
        assertThat(found)
                .filteredOn(f -> f.subject().equals("pgmq"))
                .singleElement()
                .satisfies(f -> assertThat(f.problem()).contains("not the extension (ABSENT)"));
    }

    /**
     * Runs where the server offers the real extension, as the pgmq contract suite does: no registry ships pgmq, so a
     * fresh machine has only our compatible schema; {@code CELERY_PGMQ_TEST_PGMQ=extension} makes its absence a failure.
     */
    @Test
    void withTheRealExtensionKombusClientCanConnect() throws SQLException {
        boolean required = "extension".equalsIgnoreCase(System.getenv("CELERY_PGMQ_TEST_PGMQ"));
        if (required) {
            assertThat(pg.pgmqExtensionAvailable())
                    .as("CELERY_PGMQ_TEST_PGMQ=extension but the server does not offer pgmq")
                    .isTrue();
        }
        Assumptions.assumeTrue(pg.pgmqExtensionAvailable(), "pgmq extension not available on " + pg.backend());
        sql("INSERT INTO celery_pgmq.routes (task_pattern, mode, percent, pgmq_queue, format, version, updated_by)"
                + " VALUES ('tasks.mul', 'pgmq', 10, 'k57_fast_q', 'kombu', 1, 'test')");
        assertThat(celeryOnPgmq(examine()))
                .filteredOn(f -> f.subject().equals("pgmq"))
                .singleElement()
                .satisfies(f -> assertThat(f.problem()).contains("not the extension"));

        PgmqInstaller.ensure(db, PgmqPreference.EXTENSION);
        assertThat(celeryOnPgmq(examine()))
                .as("with the real extension, kombu's client can connect")
                .noneMatch(f -> f.subject().equals("pgmq"));
    }
}
