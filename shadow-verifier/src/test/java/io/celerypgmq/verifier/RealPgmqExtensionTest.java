package io.celerypgmq.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.PgmqPreference;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.verifier.latency.WaitStats;
import io.celerypgmq.verifier.reconcile.CompletionLog;
import io.celerypgmq.verifier.reconcile.EntryStatus;
import io.celerypgmq.verifier.report.Report;
import io.celerypgmq.verifier.report.TaskReport;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same reconciliation on the real pgmq extension where the server offers it. Required when
 * {@code CELERY_PGMQ_TEST_PGMQ=extension}.
 */
@RealBackends
class RealPgmqExtensionTest {

    @Test
    void archivedDeletedAndInFlightMessagesAreReconciledAndTimedOnTheRealExtension(TestPostgres pg) {
        boolean required = "extension".equalsIgnoreCase(System.getenv("CELERY_PGMQ_TEST_PGMQ"));
        if (required) {
            assertThat(pg.pgmqExtensionAvailable())
                    .as("pgmq extension on %s", pg.backend())
                    .isTrue();
        } else {
            assumeTrue(pg.pgmqExtensionAvailable(), "pgmq extension not available on " + pg.backend());
        }
        PgmqInstaller.ensure(pg.dataSource(), PgmqPreference.EXTENSION);
        BridgeSchema.install(pg.dataSource());
        Fixture f = new Fixture(pg.dataSource());
        f.queue("ext_q");
        CompletionLog.track(pg.dataSource(), List.of("ext_q"), "x-celery-identity");
        QueueName q = QueueName.of("ext_q");
        long archived = f.bridged("ext_q", "ext-archived", "ext.task");
        long deleted = f.bridged("ext_q", "ext-deleted", "ext.task");
        f.bridged("ext_q", "ext-in-flight", "ext.task");
        assertThat(f.pgmq().read(q, 30, 3, null)).hasSize(3);
        f.pgmq().archive(q, archived);
        f.pgmq().delete(q, deleted);

        Report r = new Verifier(pg.dataSource(), VerifierSettings.defaults(), null, Clock.systemUTC())
                .run(VerifyRequest.everything());

        TaskReport t = r.task("ext.task").orElseThrow();
        assertThat(t.counts().of(EntryStatus.ARCHIVED)).isEqualTo(1);
        assertThat(t.counts().of(EntryStatus.DELETED)).isEqualTo(1);
        assertThat(t.counts().pendingInFlight()).isEqualTo(1);
        assertThat(t.counts().missing()).isZero();
        WaitStats w = t.waits();
        boolean lastReadAt = f.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'pgmq'"
                        + " AND table_name = 'q_ext_q' AND column_name = 'last_read_at'")
                == 1;
        // pgmq before 1.10 does not record when a message was read: an in-flight one has no known wait yet.
        assertThat(w.measured()).isEqualTo(lastReadAt ? 3 : 2);
        assertThat(w.excludedUnknown()).isEqualTo(lastReadAt ? 0 : 1);
        assertThat(w.max()).isLessThan(java.time.Duration.ofSeconds(30));
    }
}
