package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** {@code route set --format kombu}: kombu's queue name, the direct canary, no shadow copies, deletes tracked. */
@RealBackends
class KombuRouteCommandTest {

    private static String db(TestPostgres pg) {
        return pg.url().jdbcUrl() + "?user="
                + (pg.url().user() == null ? "postgres" : pg.url().user());
    }

    private static long count(TestPostgres pg, String sql) throws SQLException {
        try (Connection c = pg.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aKombuRouteGoesStraightToPgmqOnKombusQueueNameAndTracksItsDeletes(TestPostgres pg) throws SQLException {
        Cli set = Cli.run(
                "route",
                "set",
                "k57.add",
                "pgmq",
                "--percent",
                "10",
                "--queue",
                "k57.fast-q",
                "--format",
                "kombu",
                "--database-url",
                db(pg));

        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(set.out())
                .contains("Celery queue k57.fast-q is pgmq queue k57_fast_q for kombu's pgmq transport")
                .contains("k57.add: celery (default) → pgmq 10 % → k57_fast_q")
                .contains("delete tracking on pgmq queue k57_fast_q since ");
        assertThat(count(pg, "SELECT count(*) FROM pgmq.meta WHERE queue_name = 'k57_fast_q'"))
                .isOne();
        assertThat(count(pg, "SELECT count(*) FROM celery_pgmq.completion_tracking WHERE queue_name = 'k57_fast_q'"))
                .isOne();
        assertThat(count(
                        pg,
                        "SELECT count(*) FROM pg_trigger WHERE tgname = 'celery_pgmq_deletes'"
                                + " AND tgrelid = 'pgmq.q_k57_fast_q'::regclass"))
                .isOne();
    }

    @Test
    void theWorkersQueueNamePrefixIsMappedWithTheQueue(TestPostgres pg) {
        Cli set = Cli.run(
                "route",
                "set",
                "k57.mul",
                "pgmq",
                "--percent",
                "5",
                "--queue",
                "fast",
                "--format",
                "kombu",
                "--kombu-queue-prefix",
                "prod-",
                "--database-url",
                db(pg));

        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(set.out()).contains("is pgmq queue prod_fast", "(queue_name_prefix 'prod-')");
    }

    @Test
    void aLargeFirstStepAndAShadowCopyIntoACeleryQueueAreRefusedWithTheReason(TestPostgres pg) {
        Cli big = Cli.run(
                "route", "set", "k57.big", "pgmq", "--queue", "k57q", "--format", "kombu", "--database-url", db(pg));
        Cli shadow = Cli.run(
                "route",
                "set",
                "k57.shadow",
                "shadow",
                "--queue",
                "k57q",
                "--format",
                "kombu",
                "--database-url",
                db(pg));

        assertThat(big.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(big.err()).contains("refused", "start Celery on pgmq:// at 10 % or less");
        assertThat(shadow.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(shadow.err()).contains("would run every shadow copy, so the task would run twice");
    }

    @Test
    void aShadowCopyIsAllowedAndAuditedWhenTheOperatorStatesNoCeleryWorkerConsumesTheQueue(TestPostgres pg) {
        Cli shadow = Cli.run(
                "route",
                "set",
                "k57.audit",
                "shadow",
                "--queue",
                "audit_copies",
                "--format",
                "kombu",
                "--no-celery-consumer",
                "--reason",
                "audit only",
                "--database-url",
                db(pg));

        assertThat(shadow.exitCode()).as(shadow.err()).isZero();
        assertThat(Cli.run("route", "history", "--database-url", db(pg)).out())
                .contains("(audit only [stated: no Celery worker consumes audit_copies])");
    }
}
