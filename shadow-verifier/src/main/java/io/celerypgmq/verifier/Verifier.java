package io.celerypgmq.verifier;

import io.celerypgmq.verifier.compare.AckedOutcomes;
import io.celerypgmq.verifier.compare.ComparisonRow;
import io.celerypgmq.verifier.compare.ResultBackend;
import io.celerypgmq.verifier.compare.ShadowComparison;
import io.celerypgmq.verifier.reconcile.AckedByDelete;
import io.celerypgmq.verifier.reconcile.Classifier;
import io.celerypgmq.verifier.reconcile.CompletionLog;
import io.celerypgmq.verifier.reconcile.LedgerWorkset;
import io.celerypgmq.verifier.reconcile.ShadowEntry;
import io.celerypgmq.verifier.reconcile.WorksetQueries;
import io.celerypgmq.verifier.report.Report;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a migration: reconciles every ledger entry of the window by identity against pgmq's queue, archive and DLQ
 * tables (and the completion log and quarantine), compares shadow copies with Celery's results, asks those results
 * how tasks deleted from queues without a DLQ ended, and judges the success criteria per task type. Reads in one REPEATABLE READ transaction and changes nothing.
 */
public final class Verifier {
    private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);

    private final DataSource dataSource;
    private final VerifierSettings settings;
    private final ResultBackend results;
    private final Clock clock;

    /** @param results Celery's result backend, or {@code null} when there is none to read */
    public Verifier(DataSource dataSource, VerifierSettings settings, ResultBackend results, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.results = results;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @throws LedgerNotFoundException when the database has no ledger
     * @throws VerificationException when a query fails
     * @throws IllegalArgumentException when the window is empty (since not before until)
     */
    public Report run(VerifyRequest request) {
        Instant now = clock.instant();
        Window window = new Window(request.since(), request.until() != null ? request.until() : now);
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                Report report = measure(c, window, request.task(), now);
                LOG.info(
                        "[verify] {} entries, {} missing, gate {} ({} ms)",
                        report.totals().enqueued(),
                        report.totals().missing(),
                        report.gate(),
                        (System.nanoTime() - started) / 1_000_000);
                return report;
            } finally {
                c.rollback();
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new VerificationException("verifying ledger entries bridged " + describe(window), e);
        }
    }

    private Report measure(Connection c, Window window, TaskGlob task, Instant now) throws SQLException {
        if (!VerifierSchema.hasTable(c, "ledger")) {
            throw new LedgerNotFoundException();
        }
        LedgerWorkset ws = LedgerWorkset.load(c, window, task, now);
        Map<String, Instant> tracked = CompletionLog.tracked(c);
        List<String> caveats = new ArrayList<>(new Classifier(settings.dlq())
                .classify(ws, VerifierSchema.hasTable(c, "completions"), VerifierSchema.hasTable(c, "quarantine")));
        WorksetQueries q = new WorksetQueries(ws);
        Map<String, ComparisonRow> shadow = compare(q.shadowEntries(), caveats);
        var deleted = AckedOutcomes.read(AckedByDelete.taskIds(ws, settings.dlq()), results, caveats);
        ReportAssembly assembly = new ReportAssembly(c, settings.criteria(), window, now);
        return assembly.assemble(
                task,
                q,
                SideTables.routedToCelery(c, window, task),
                SideTables.quarantine(c, window),
                shadow,
                deleted,
                tracked,
                settings.missingLimit(),
                results == null ? null : results.describe(),
                caveats);
    }

    private Map<String, ComparisonRow> compare(List<ShadowEntry> entries, List<String> caveats) {
        if (entries.isEmpty()) {
            return Map.of();
        }
        if (results == null) {
            caveats.add("shadow copies present, but no Celery result backend to compare them with");
            return ShadowComparison.unavailable(entries, "no result backend configured");
        }
        List<String> ids = entries.stream().map(ShadowEntry::taskId).distinct().toList();
        try {
            return ShadowComparison.compare(entries, results.states(ids));
        } catch (RuntimeException e) {
            LOG.warn("[verify] cannot read Celery results from {}: {}", results.describe(), e.getMessage());
            caveats.add("Celery result backend " + results.describe() + " could not be read (" + e.getMessage()
                    + "): shadow comparison not done");
            return ShadowComparison.unavailable(entries, e.getMessage());
        }
    }

    static String describe(Window w) {
        return (w.since() == null ? "from the start" : "from " + w.since()) + " until " + w.until();
    }
}
