package io.celerypgmq.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.move.Delivery;
import io.celerypgmq.bridge.move.ReverseMover;
import io.celerypgmq.bridge.move.ReverseOutcome;
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
        ToQueue delivery = new ToQueue(new PgmqClient(ctx.db()), QueueName.of(spec.target()), new RedriveLog(jobId));
        if (spec.dryRun()) {
            JobState state = new ReverseWalk(
                            ctx,
                            walk,
                            delivery,
                            ReverseMover.TxHook.NONE,
                            o -> count(o, tally),
                            tally,
                            null,
                            cancel,
                            progress)
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
            JobState state = new ReverseWalk(
                            ctx,
                            walk,
                            delivery,
                            ReverseMover.TxHook.NONE,
                            o -> count(o, tally),
                            tally,
                            lease,
                            cancel,
                            progress)
                    .run(List.of(QueueName.of(spec.dlq())));
            ReplayReport report =
                    tally.report(ReplayKind.REDRIVE, jobId, state, ctx.clock().millis() - start, lease.moved());
            lease.finish(state, report.toJson());
            return report;
        }
    }

    private static void count(ReverseOutcome o, ReplayTally tally) {
        for (ReverseOutcome.Delivered d : o.delivered()) {
            tally.moved(d.task(), "pgmq:" + o.queue().value(), d.target());
        }
    }

    /**
     * Delivers a DLQ's rows to another pgmq queue: sends them, archives them in the DLQ and logs each move, all in the
     * walk's transaction, so a crash moves a message fully or not at all.
     */
    static final class ToQueue implements Delivery {
        private final PgmqClient client;
        private final QueueName target;
        private final RedriveLog log;

        ToQueue(PgmqClient client, QueueName target, RedriveLog log) {
            this.client = client;
            this.target = target;
            this.log = log;
        }

        @Override
        public Prepared prepare(QueueName dlq, List<PgmqMessage> rows, Map<String, byte[]> envelopes) {
            List<ReverseOutcome.Delivered> delivered = new ArrayList<>(rows.size());
            for (PgmqMessage m : rows) {
                delivered.add(new ReverseOutcome.Delivered(m, PgmqTask.of(m).task(), target.value(), true));
            }
            ReverseOutcome outcome = new ReverseOutcome(dlq, rows.size(), delivered, List.of(), false);
            return new Prepared() {
                @Override
                public int size() {
                    return rows.size();
                }

                @Override
                public ReverseOutcome deliver(Connection tx) throws SQLException {
                    if (!rows.isEmpty()) {
                        move(tx, dlq, rows);
                    }
                    return outcome;
                }

                @Override
                public ReverseOutcome preview() {
                    return new ReverseOutcome(dlq, rows.size(), delivered, List.of(), true);
                }
            };
        }

        private void move(Connection tx, QueueName dlq, List<PgmqMessage> rows) throws SQLException {
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
