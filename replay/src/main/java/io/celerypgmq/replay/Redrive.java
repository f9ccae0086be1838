package io.celerypgmq.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.PgmqOperations;
import io.celerypgmq.bridge.pgmq.QueueName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves messages out of a pgmq dead-letter queue: back to a pgmq queue (send, archive the DLQ copy and log the move,
 * all in one transaction per batch, so a crash moves a message fully or not at all), or to Celery (the rollback path
 * with the DLQ as its source). Every move is kept in {@code celery_pgmq.redrive_log}. The message keeps its body and
 * headers; a {@code x-celery-pgmq-redrive} header says where it came from and how often it had been read.
 */
public final class Redrive {
    static final String REDRIVE_HEADER = "x-celery-pgmq-redrive";
    private static final Logger LOG = LoggerFactory.getLogger(Redrive.class);

    private final ReplayContext ctx;
    private final RedriveSpec spec;

    public Redrive(ReplayContext ctx, RedriveSpec spec) {
        this.ctx = ctx;
        this.spec = spec;
    }

    public ReplayReport run(CancelToken cancel, Progress progress) {
        if (spec.celeryQueue() != null) {
            return new PgmqToRedisReplay(ctx, spec.asReverse(), new RedriveLog(spec.effectiveJobId()))
                    .run(cancel, progress);
        }
        long start = ctx.clock().millis();
        String jobId = spec.effectiveJobId();
        ReplayTally tally = new ReplayTally();
        ReverseSpec walk = spec.asReverse();
        Mover mover = new Mover(new PgmqClient(ctx.db()), QueueName.of(spec.target()), new RedriveLog(jobId), tally);
        if (spec.dryRun()) {
            JobState state = new ReverseLoop(ctx, walk, mover, tally, null, cancel, progress)
                    .run(List.of(QueueName.of(spec.dlq())));
            return tally.report(
                    ReplayKind.REDRIVE,
                    jobId,
                    state == JobState.CANCELLED ? state : JobState.DRY_RUN,
                    ctx.clock().millis() - start,
                    null);
        }
        ReplaySchema.install(ctx.db());
        new PgmqClient(ctx.db()).create(QueueName.of(spec.target()));
        try (JobLease lease = new ReplayJobs(ctx.db()).begin(jobId, ReplayKind.REDRIVE, spec.toJson(), null)) {
            LOG.info("[replay] job {} redrives {} to {}", jobId, spec.dlq(), spec.target());
            JobState state = new ReverseLoop(ctx, walk, mover, tally, lease, cancel, progress)
                    .run(List.of(QueueName.of(spec.dlq())));
            ReplayReport report =
                    tally.report(ReplayKind.REDRIVE, jobId, state, ctx.clock().millis() - start, lease.moved());
            lease.finish(state, report.toJson());
            return report;
        }
    }

    /** Sends one batch to the target and archives it in the DLQ, inside the caller's transaction. */
    static final class Mover implements PgmqBatchMover {
        private final PgmqClient client;
        private final QueueName target;
        private final RedriveLog log;
        private final ReplayTally tally;

        Mover(PgmqClient client, QueueName target, RedriveLog log, ReplayTally tally) {
            this.client = client;
            this.target = target;
            this.log = log;
            this.tally = tally;
        }

        @Override
        public void held(QueueName queue, long n) {
            PgmqBatchMover.held(tally, queue, n);
        }

        @Override
        public Prepared prepare(QueueName dlq, List<PgmqMessage> rows, Map<String, byte[]> envelopes) {
            return (tx, lease) -> move(tx, dlq, rows, lease);
        }

        private void move(Connection tx, QueueName dlq, List<PgmqMessage> rows, JobLease lease) throws SQLException {
            for (PgmqMessage m : rows) {
                tally.moved(PgmqTask.of(m).task(), "pgmq:" + dlq.value(), target.value());
            }
            if (tx == null || rows.isEmpty()) {
                return;
            }
            PgmqOperations pgmq = client.in(tx);
            List<String> messages = new ArrayList<>(rows.size());
            List<String> headers = new ArrayList<>(rows.size());
            for (PgmqMessage m : rows) {
                messages.add(m.message());
                headers.add(headers(m, dlq).toString());
            }
            List<Long> ids = pgmq.sendBatch(target, messages, headers, Delay.none());
            pgmq.archive(dlq, rows.stream().map(PgmqMessage::msgId).toList());
            log.write(tx, dlq, rows, rows.stream().map(r -> target.value()).toList(), ids);
            lease.addMoved(tx, rows.size());
        }

        private static ObjectNode headers(PgmqMessage m, QueueName dlq) {
            var parsed = ReplayJson.parse(m.headers());
            ObjectNode h = parsed.isObject() ? (ObjectNode) parsed : ReplayJson.object();
            ObjectNode r = h.putObject(REDRIVE_HEADER);
            r.put("from", dlq.value());
            r.put("msg_id", m.msgId());
            r.put("read_ct", m.readCt());
            return h;
        }
    }
}
