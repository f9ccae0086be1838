package io.celerypgmq.bridge.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.ds.PGSimpleDataSource;
import redis.clients.jedis.UnifiedJedis;

/** Doctor as an ordinary (non-superuser) role: what it may not create is an error, with the GRANT that fixes it. */
@RealBackends
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DoctorPermissionsTest {
    private static final String ROLE =
            "doctor_probe_" + UUID.randomUUID().toString().substring(0, 8);
    private static final String PASSWORD = "probe-" + UUID.randomUUID();
    private static TestPostgres pg;

    @BeforeAll
    static void role(TestPostgres postgres) throws SQLException {
        pg = postgres;
        admin("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "'");
    }

    @AfterAll
    static void dropRole() throws SQLException {
        admin("DROP OWNED BY " + ROLE);
        admin("DROP ROLE " + ROLE);
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = pg.connect();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<Finding> permissionFindings() {
        PGSimpleDataSource asRole = new PGSimpleDataSource();
        asRole.setURL(pg.jdbcUrl());
        asRole.setUser(ROLE);
        asRole.setPassword(PASSWORD);
        DataSource db = asRole;
        DoctorReport report = new Doctor(DoctorOptions.defaults(PriorityKeys.defaults()), Clock.systemUTC())
                .examine(
                        StoreReach.<UnifiedJedis>unreachable("redis", "not needed here"), StoreReach.reached("pg", db));
        return report.findings().stream()
                .filter(f -> f.check().equals("permissions"))
                .toList();
    }

    @Test
    @Order(1)
    void aRoleThatMayCreateNothingGetsTheGrantsItNeeds() {
        List<Finding> findings = permissionFindings();

        assertThat(findings).extracting(Finding::severity).containsOnly(Severity.ERROR);
        assertThat(findings)
                .anySatisfy(f -> {
                    assertThat(f.problem())
                            .isEqualTo(
                                    ROLE + " may not create the schema celery_pgmq (ledger, routes," + " quarantine)");
                    assertThat(f.fix()).startsWith("GRANT CREATE ON DATABASE <db> TO " + ROLE);
                })
                .anySatisfy(f -> assertThat(f.fix()).contains("CREATE EXTENSION pgmq"));
    }

    @Test
    @Order(2)
    void aRoleThatMayUseButNotCreateQueuesIsWarnedAndOurSchemaNeedsItsGrant() throws SQLException {
        PgmqInstaller.ensure(pg.dataSource());
        BridgeSchema.install(pg.dataSource());
        admin("GRANT USAGE ON SCHEMA pgmq TO " + ROLE);

        List<Finding> findings = permissionFindings();
        assertThat(findings)
                .anySatisfy(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.ERROR);
                    assertThat(f.fix()).isEqualTo("GRANT USAGE, CREATE ON SCHEMA celery_pgmq TO " + ROLE);
                })
                .anySatisfy(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.WARNING);
                    assertThat(f.problem()).contains("may use pgmq's queues but not create new ones");
                    assertThat(f.fix()).startsWith("GRANT CREATE ON SCHEMA pgmq TO " + ROLE);
                });

        admin("GRANT USAGE, CREATE ON SCHEMA celery_pgmq TO " + ROLE);
        admin("GRANT CREATE ON SCHEMA pgmq TO " + ROLE);
        assertThat(permissionFindings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.problem()).isEqualTo(ROLE + " may create celery-pgmq's tables and functions");
        });
    }
}
