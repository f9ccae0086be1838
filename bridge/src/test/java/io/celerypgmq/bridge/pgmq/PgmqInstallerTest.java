package io.celerypgmq.bridge.pgmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which pgmq the installer finds, creates or installs; each test starts from a database without pgmq. */
@RealBackends
class PgmqInstallerTest {
    private final DataSource dataSource;
    private final boolean extensionOffered;

    PgmqInstallerTest(TestPostgres pg) {
        this.dataSource = pg.dataSource();
        this.extensionOffered = pg.pgmqExtensionAvailable();
    }

    @BeforeEach
    void removePgmq() throws SQLException {
        execute("DROP EXTENSION IF EXISTS pgmq CASCADE; DROP SCHEMA IF EXISTS pgmq CASCADE");
    }

    @Test
    void statusOfADatabaseWithoutPgmqIsAbsentAndInstallsNothing() throws SQLException {
        PgmqStatus status = PgmqInstaller.status(dataSource);

        assertThat(status.kind()).isEqualTo(PgmqStatus.Kind.ABSENT);
        assertThat(status.describe()).startsWith("pgmq not installed");
        assertThat(count("SELECT count(*) FROM pg_namespace WHERE nspname = 'pgmq'"))
                .isZero();
    }

    @Test
    void theCompatibleSchemaSaysWhatItIs() {
        PgmqStatus status = PgmqInstaller.ensure(dataSource, PgmqPreference.COMPAT);

        assertThat(status.kind()).isEqualTo(PgmqStatus.Kind.COMPATIBLE_SCHEMA);
        assertThat(status.version()).isEqualTo("v1 (pgmq API 1.13)");
        assertThat(status.describe())
                .startsWith("celery-pgmq compatible schema v1 (pgmq API 1.13), real pgmq not installed");
        assertThat(PgmqInstaller.status(dataSource)).isEqualTo(status);
    }

    @Test
    void installingTwiceKeepsQueuesAndMessages() {
        PgmqInstaller.ensure(dataSource, PgmqPreference.COMPAT);
        PgmqClient client = new PgmqClient(dataSource);
        QueueName queue = QueueName.of("installer_kept");
        client.create(queue);
        client.send(queue, "1");

        PgmqInstaller.ensure(dataSource, PgmqPreference.COMPAT);
        PgmqInstaller.ensure(dataSource);

        assertThat(client.metrics(queue).queueLength()).isEqualTo(1);
    }

    @Test
    void anOlderCompatibleSchemaIsUpgradedInPlace() throws SQLException {
        PgmqInstaller.ensure(dataSource, PgmqPreference.COMPAT);
        PgmqClient client = new PgmqClient(dataSource);
        QueueName queue = QueueName.of("installer_upgraded");
        client.create(queue);
        client.send(queue, "1");
        execute("COMMENT ON SCHEMA pgmq IS 'celery-pgmq compatible schema v0 (pgmq API 1.12)'");

        PgmqStatus status = PgmqInstaller.ensure(dataSource);

        assertThat(status.version()).isEqualTo("v1 (pgmq API 1.13)");
        assertThat(client.read(queue, 30, 1)).hasSize(1);
    }

    @Test
    void aPgmqSchemaThatIsNotOursIsUsedAsASqlInstallWhenItHasTheHeadersApi() throws SQLException {
        execute(
                "CREATE SCHEMA pgmq; CREATE FUNCTION pgmq.send(queue_name text, msg jsonb, headers jsonb, delay integer)"
                        + " RETURNS SETOF bigint LANGUAGE sql AS 'SELECT 1::bigint'");

        PgmqStatus status = PgmqInstaller.ensure(dataSource);

        assertThat(status.kind()).isEqualTo(PgmqStatus.Kind.SQL_INSTALL);
        assertThat(status.describe()).isEqualTo("pgmq SQL install (version unknown)");
        assertThat(count("SELECT count(*) FROM pg_proc WHERE pronamespace = 'pgmq'::regnamespace"))
                .isEqualTo(1);
    }

    @Test
    void aPgmqSchemaOlderThanOneFiveIsRefused() throws SQLException {
        execute("CREATE SCHEMA pgmq; CREATE FUNCTION pgmq.send(queue_name text, msg jsonb, delay integer)"
                + " RETURNS SETOF bigint LANGUAGE sql AS 'SELECT 1::bigint'");

        assertThatThrownBy(() -> PgmqInstaller.ensure(dataSource))
                .isInstanceOf(PgmqVersionException.class)
                .hasMessageStartingWith("celery-pgmq needs pgmq >= 1.5.0, found a pgmq SQL install");
    }

    @Test
    void askingForTheExtensionBesideOurSchemaFailsClearly() {
        PgmqInstaller.ensure(dataSource, PgmqPreference.COMPAT);

        assertThatThrownBy(() -> PgmqInstaller.ensure(dataSource, PgmqPreference.EXTENSION))
                .isInstanceOf(PgmqException.class)
                .hasMessageContaining("drop schema pgmq");
    }

    @Test
    void autoCreatesTheExtensionWhereTheServerOffersItAndOurSchemaOtherwise() {
        PgmqStatus status = PgmqInstaller.ensure(dataSource);

        if (extensionOffered) {
            assertThat(status.kind()).isEqualTo(PgmqStatus.Kind.EXTENSION);
            assertThat(status.describe()).matches("pgmq extension 1\\.\\d+\\.\\d+");
        } else {
            assertThat(status.kind()).isEqualTo(PgmqStatus.Kind.COMPATIBLE_SCHEMA);
        }
    }

    @Test
    void askingForTheExtensionWhereItIsNotOfferedFailsWithoutInstallingAnything() throws SQLException {
        if (extensionOffered) {
            assertThat(PgmqInstaller.ensure(dataSource, PgmqPreference.EXTENSION)
                            .kind())
                    .isEqualTo(PgmqStatus.Kind.EXTENSION);
            return;
        }
        assertThatThrownBy(() -> PgmqInstaller.ensure(dataSource, PgmqPreference.EXTENSION))
                .isInstanceOf(PgmqException.class)
                .hasMessageContaining("does not offer it");
        assertThat(count("SELECT count(*) FROM pg_namespace WHERE nspname = 'pgmq'"))
                .isZero();
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
