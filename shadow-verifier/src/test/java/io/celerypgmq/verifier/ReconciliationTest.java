package io.celerypgmq.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.verifier.criteria.Criterion;
import io.celerypgmq.verifier.criteria.CriterionResult;
import io.celerypgmq.verifier.criteria.Gate;
import io.celerypgmq.verifier.criteria.Verdict;
import io.celerypgmq.verifier.reconcile.CompletionLog;
import io.celerypgmq.verifier.reconcile.DlqConvention;
import io.celerypgmq.verifier.reconcile.EntryStatus;
import io.celerypgmq.verifier.reconcile.MissingEntry;
import io.celerypgmq.verifier.report.Report;
import io.celerypgmq.verifier.report.TaskReport;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each test uses its own queue and task type, and verifies only that task type. */
@RealBackends
class ReconciliationTest {
    private static Fixture fixture;
    private static DataSource ds;

    @BeforeAll
    static void install(TestPostgres pg) {
        ds = pg.dataSource();
        fixture = Fixture.install(ds);
    }

    private static Report verify(String task) {
        return verify(task, VerifierSettings.defaults());
    }

    private static Report verify(String task, VerifierSettings settings) {
        return new Verifier(ds, settings, null, Clock.systemUTC())
                .run(VerifyRequest.everything().forTask(task));
    }

    private static CriterionResult criterion(Report r, String task, Criterion c) {
        return r.task(task).orElseThrow().criteria().stream()
                .filter(x -> x.criterion() == c)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aMessageDeletedBehindTheToolsBackIsNamedMissingByIdentityAndFailsTheGate() {
        fixture.queue("loss_q");
        fixture.bridged("loss_q", "kept-1", "loss.task");
        long gone = fixture.bridged("loss_q", "gone-1", "loss.task");
        fixture.sql("DELETE FROM pgmq.q_loss_q WHERE msg_id = ?", gone);

        Report r = verify("loss.task");

        assertThat(r.missing()).extracting(MissingEntry::identity).containsExactly("gone-1");
        MissingEntry m = r.missing().get(0);
        assertThat(m.taskName()).isEqualTo("loss.task");
        assertThat(m.taskId()).isEqualTo("tid-gone-1");
        assertThat(m.queue()).isEqualTo("loss_q");
        assertThat(m.bridgedAt()).isNotNull();
        assertThat(r.totals().of(EntryStatus.PENDING)).isEqualTo(1);
        assertThat(criterion(r, "loss.task", Criterion.ZERO_LOSS).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.gate()).isEqualTo(Gate.NO_GO);
        assertThat(r.caveats()).anyMatch(c -> c.contains("cannot be told apart from loss"));
    }

    @Test
    void withTheCompletionLogInstalledFirstTheSameDeleteIsCountedAsDeletedNotMissing() {
        fixture.queue("tracked_q");
        long gone = fixture.bridged("tracked_q", "gone-2", "tracked.task");
        CompletionLog.Tracking t = CompletionLog.trackBridgedQueues(ds, List.of(), "x-celery-identity");
        assertThat(t.tracked()).contains("tracked_q");
        fixture.sql("DELETE FROM pgmq.q_tracked_q WHERE msg_id = ?", gone);

        Report r = verify("tracked.task");

        assertThat(r.missing()).isEmpty();
        assertThat(r.totals().of(EntryStatus.DELETED)).isEqualTo(1);
        assertThat(criterion(r, "tracked.task", Criterion.ZERO_LOSS).verdict()).isEqualTo(Verdict.PASS);
        assertThat(r.queues().get(0).deletesLoggedSince()).isNotNull();
    }

    @Test
    void archivesArePendingOrDoneAndPopsAndPurgesAreDeletionsNotLosses() {
        fixture.queue("life_q");
        CompletionLog.track(ds, List.of("life_q"), "x-celery-identity");
        long archived = fixture.bridged("life_q", "life-archived", "life.task");
        long popped = fixture.bridged("life_q", "life-popped", "life.task");
        fixture.pgmq().archive(QueueName.of("life_q"), archived);
        fixture.pgmq().read(QueueName.of("life_q"), 0, 1, null);
        assertThat(fixture.pgmq().pop(QueueName.of("life_q"), 1))
                .extracting(m -> m.msgId())
                .containsExactly(popped);
        fixture.bridged("life_q", "life-purged", "life.task");
        fixture.pgmq().purgeQueue(QueueName.of("life_q"));
        fixture.bridged("life_q", "life-waiting", "life.task");

        Report r = verify("life.task");

        TaskReport t = r.task("life.task").orElseThrow();
        assertThat(t.counts().of(EntryStatus.ARCHIVED)).isEqualTo(1);
        assertThat(t.counts().of(EntryStatus.DELETED)).isEqualTo(2);
        assertThat(t.counts().of(EntryStatus.PENDING)).isEqualTo(1);
        assertThat(t.counts().missing()).isZero();
        assertThat(fixture.queryLong("SELECT count(*) FROM celery_pgmq.completions WHERE queue_name = 'life_q'"))
                .as("the archive move is not logged as a delete")
                .isEqualTo(2);
    }

    @Test
    void deadLetteredCopiesAreFoundBySourceMsgIdOrIdentityAndCountTowardsTheDlqRate() {
        fixture.queue("dl_q");
        Instant now = Instant.now();
        long source = fixture.deadLettered("dl_q", "dl-1", now, "boom");
        fixture.ledger("dl-1", "dl.task", "pgmq", "dl_q", source, null, now.minusSeconds(5), false);
        // A consumer that copied the original headers (identity included) instead of naming the msg id.
        fixture.ledger("dl-2", "dl.task", "pgmq", "dl_q", 999_999L, null, now.minusSeconds(5), false);
        fixture.sql("SELECT pgmq.send('dl_q_dlq', '{}'::jsonb, ?::jsonb)", Fixture.headers("dl-2", "dl.task"));
        for (int i = 0; i < 8; i++) {
            fixture.bridged("dl_q", "dl-ok-" + i, "dl.task");
        }

        Report r = verify("dl.task");

        TaskReport t = r.task("dl.task").orElseThrow();
        assertThat(t.counts().of(EntryStatus.DEAD_LETTERED)).isEqualTo(2);
        assertThat(t.counts().missing()).isZero();
        CriterionResult dlq = criterion(r, "dl.task", Criterion.DLQ_RATE);
        assertThat(dlq.value()).isEqualTo(20.0);
        assertThat(dlq.verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void aSharedDlqOnlyMatchesCopiesThatNameTheirSourceQueue() {
        fixture.queue("sh_a");
        fixture.queue("sh_b");
        fixture.queue("dlq");
        long idA = fixture.nextId("sh_a");
        DlqConvention shared =
                new DlqConvention("_dlq", "dlq", "original_msg_id", "original_queue", "error", "x-celery-identity");
        fixture.sql("SELECT pgmq.send('dlq', '{}'::jsonb, ?::jsonb)", shared.headersFor("sh_a", idA, null, "e"));
        // Same msg id number as the copy above, but from queue sh_b: only its own copy may match it.
        fixture.sql("SELECT pgmq.send('dlq', '{}'::jsonb, ?::jsonb)", "{\"original_msg_id\":\"" + idA + "\"}");
        fixture.ledger("sh-a", "sh.task", "pgmq", "sh_a", idA, null, Instant.now(), false);
        fixture.ledger("sh-b", "sh.task", "pgmq", "sh_b", idA, null, Instant.now(), false);
        VerifierSettings settings = new VerifierSettings(
                shared,
                Optional.empty(),
                "celery-task-meta-",
                io.celerypgmq.verifier.criteria.CriteriaBook.defaultsOnly(),
                100,
                30);

        Report r = verify("sh.task", settings);

        assertThat(r.queues())
                .filteredOn(q -> q.queue().equals("sh_a"))
                .singleElement()
                .satisfies(q ->
                        assertThat(q.counts().of(EntryStatus.DEAD_LETTERED)).isEqualTo(1));
        assertThat(r.missing()).extracting(MissingEntry::identity).containsExactly("sh-b");
    }

    @Test
    void expiredAndQuarantinedEntriesAreAccountedForAndCeleryRoutedMessagesAreCounted() {
        fixture.queue("misc_q");
        Instant now = Instant.now();
        fixture.ledger("misc-expired", "misc.task", "pgmq", "misc_q", null, null, now, true);
        fixture.ledger("misc-quarantined", "misc.task", "pgmq", "misc_q", 424242L, null, now, false);
        fixture.sql("INSERT INTO celery_pgmq.quarantine (fingerprint, source_key, raw, reason, detail)"
                + " VALUES ('misc-quarantined', 'celery', '\\x00'::bytea, 'UNMAPPABLE', 'test')");
        fixture.sql("INSERT INTO celery_pgmq.flow (minute, task_name, route, direction, count)"
                + " VALUES (date_trunc('minute', now()), 'misc.task', 'pgmq', 'to_celery', 7),"
                + " (date_trunc('minute', now()), 'misc.celery_only', 'celery', 'to_celery', 3)");

        Report r = verify("misc.*");

        TaskReport t = r.task("misc.task").orElseThrow();
        assertThat(t.counts().of(EntryStatus.EXPIRED)).isEqualTo(1);
        assertThat(t.counts().of(EntryStatus.QUARANTINED)).isEqualTo(1);
        assertThat(t.counts().missing()).isZero();
        assertThat(t.routedToCelery()).isEqualTo(7);
        TaskReport celeryOnly = r.task("misc.celery_only").orElseThrow();
        assertThat(celeryOnly.routedToCelery()).isEqualTo(3);
        assertThat(celeryOnly.criteria()).as("nothing on pgmq to judge").isEmpty();
        assertThat(r.quarantine()).anyMatch(q -> q.reason().equals("UNMAPPABLE"));
    }

    @Test
    void aRecreatedQueueReusingMsgIdsDoesNotPassOffAnotherMessageAsTheLedgerEntry() {
        fixture.queue("reuse_q");
        long id = fixture.bridged("reuse_q", "reuse-old", "reuse.task");
        fixture.pgmq().dropQueue(QueueName.of("reuse_q"));
        fixture.queue("reuse_q");
        long again = fixture.pgmq()
                .send(
                        QueueName.of("reuse_q"),
                        "{}",
                        Fixture.headers("someone-else", "x"),
                        io.celerypgmq.bridge.pgmq.Delay.none());
        assertThat(again).isEqualTo(id);

        Report r = verify("reuse.task");

        assertThat(r.missing()).extracting(MissingEntry::identity).containsExactly("reuse-old");
    }

    @Test
    void onPgmqBefore110WithoutLastReadAtTheArchiveTimeStandsInForTheRead() {
        fixture.queue("old_q");
        fixture.script("ALTER TABLE pgmq.q_old_q DROP COLUMN last_read_at;"
                + " ALTER TABLE pgmq.a_old_q DROP COLUMN last_read_at");
        Instant enq = Instant.now().minusSeconds(60);
        long done = fixture.nextId("old_q");
        fixture.sql(
                "INSERT INTO pgmq.a_old_q (msg_id, read_ct, enqueued_at, archived_at, vt, headers)"
                        + " VALUES (?, 1, ?, ?, ?, ?::jsonb)",
                done,
                enq,
                enq.plusSeconds(2),
                enq,
                Fixture.headers("old-done", "old.task"));
        long flying = fixture.queryLong(
                "INSERT INTO pgmq.q_old_q (read_ct, enqueued_at, vt, headers)"
                        + " VALUES (1, ?, ?, ?::jsonb) RETURNING msg_id",
                enq,
                Instant.now().plusSeconds(30),
                Fixture.headers("old-flying", "old.task"));
        fixture.ledger("old-done", "old.task", "pgmq", "old_q", done, null, enq, false);
        fixture.ledger("old-flying", "old.task", "pgmq", "old_q", flying, null, enq, false);

        Report r = verify("old.task");

        io.celerypgmq.verifier.latency.WaitStats w =
                r.task("old.task").orElseThrow().waits();
        assertThat(w.measured()).isEqualTo(1);
        assertThat(w.p50()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(w.excludedUnknown())
                .as("read once, but when is not recorded")
                .isEqualTo(1);
        assertThat(r.task("old.task").orElseThrow().counts().pendingInFlight()).isEqualTo(1);
    }
}
