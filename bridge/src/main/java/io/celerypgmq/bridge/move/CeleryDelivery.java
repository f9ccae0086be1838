package io.celerypgmq.bridge.move;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.ledger.Quarantine;
import io.celerypgmq.bridge.ledger.QuarantineEntry;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.pump.CeleryHeaders;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import javax.sql.DataSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * Delivers pgmq messages back to Celery: each is rebuilt into Celery bytes ({@link MessageRebuilder}), checked by the
 * strict validator, and LPUSHed to the Celery list for its priority with its once-only marker in the same Redis script,
 * while the batch's transaction quarantines what cannot go back (as {@code UNREVERSIBLE}) and archives every row; the
 * commit waits for the push. A redo finds the markers and pushes nothing twice.
 */
public final class CeleryDelivery implements Delivery {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MessageRebuilder rebuilder;
    private final PriorityKeys keys;
    private final OnceOnlyPusher pusher;
    private final UnifiedJedis redis;
    private final PgmqClient pgmq;
    private final Function<PgmqMessage, String> celeryQueueOf;

    /**
     * @param celeryQueueOf the Celery queue a message goes back to (fixed per source, or read from its headers); may
     *     throw {@link IllegalArgumentException} for a message that names none, which is then quarantined
     * @param pushes the threads that push while the transaction archives, owned by the caller
     */
    public CeleryDelivery(
            DataSource db,
            UnifiedJedis redis,
            MessageRebuilder rebuilder,
            PriorityKeys keys,
            Function<PgmqMessage, String> celeryQueueOf,
            ExecutorService pushes) {
        this.rebuilder = rebuilder;
        this.keys = keys;
        this.pusher = new OnceOnlyPusher(redis, pushes);
        this.redis = redis;
        this.pgmq = new PgmqClient(db);
        this.celeryQueueOf = celeryQueueOf;
    }

    /** The rows' messages are needed only where the ledger kept no envelope copy. */
    @Override
    public boolean everyMessage() {
        return false;
    }

    @Override
    public Prepared prepare(QueueName queue, List<PgmqMessage> rows, Map<String, byte[]> envelopes) {
        List<OnceOnlyPusher.Push> pushes = new ArrayList<>(rows.size());
        List<ReverseOutcome.Delivered> targets = new ArrayList<>(rows.size());
        List<QuarantineEntry> bad = new ArrayList<>();
        List<Long> ids = new ArrayList<>(rows.size());
        for (PgmqMessage m : rows) {
            ids.add(m.msgId());
            try {
                String celeryQueue = celeryQueueOf.apply(m);
                MessageRebuilder.Rebuilt r = rebuilder.rebuild(m, queue.value(), celeryQueue, envelopes);
                String list = keys.keyFor(celeryQueue, r.priority());
                pushes.add(new OnceOnlyPusher.Push(ReverseMover.markerKey(queue.value(), m.msgId()), list, r.bytes()));
                targets.add(new ReverseOutcome.Delivered(m, r.task(), list, true));
            } catch (RuntimeException e) {
                byte[] raw = rawOf(m, envelopes);
                bad.add(new QuarantineEntry(
                        "pgmq:" + queue.value() + ":" + m.msgId() + ":" + QuarantineEntry.sha256(raw),
                        "pgmq:" + queue.value(),
                        raw,
                        "UNREVERSIBLE",
                        e.getMessage() == null ? e.toString() : e.getMessage(),
                        identityOf(m)));
            }
        }
        return new Batch(queue, ids, pushes, targets, bad);
    }

    private final class Batch implements Prepared {
        private final QueueName queue;
        private final List<Long> ids;
        private final List<OnceOnlyPusher.Push> pushes;
        private final List<ReverseOutcome.Delivered> targets;
        private final List<QuarantineEntry> bad;

        Batch(
                QueueName queue,
                List<Long> ids,
                List<OnceOnlyPusher.Push> pushes,
                List<ReverseOutcome.Delivered> targets,
                List<QuarantineEntry> bad) {
            this.queue = queue;
            this.ids = ids;
            this.pushes = pushes;
            this.targets = targets;
            this.bad = bad;
        }

        @Override
        public int size() {
            return ids.size();
        }

        /**
         * Push (once only) and, meanwhile, quarantine and archive: nobody sees the archive before the commit, which
         * the walk makes only once this has returned, that is once the push has succeeded.
         */
        @Override
        public ReverseOutcome deliver(Connection tx) throws SQLException {
            OnceOnlyPusher.Pending pushing = pusher.pushMeanwhile(pushes);
            List<Boolean> fresh;
            try {
                Quarantine.record(tx, bad);
                if (!ids.isEmpty()) {
                    pgmq.in(tx).archive(queue, ids);
                }
                fresh = pushing.await();
            } catch (SQLException | RuntimeException | Error e) {
                pushing.settle();
                throw e;
            }
            return outcome(fresh, false);
        }

        @Override
        public ReverseOutcome preview() {
            List<Boolean> fresh = new ArrayList<>(pushes.size());
            for (OnceOnlyPusher.Push p : pushes) {
                fresh.add(!redis.exists(p.markerKey()));
            }
            return outcome(fresh, true);
        }

        private ReverseOutcome outcome(List<Boolean> fresh, boolean preview) {
            List<ReverseOutcome.Delivered> delivered = new ArrayList<>(targets.size());
            for (int i = 0; i < targets.size(); i++) {
                ReverseOutcome.Delivered t = targets.get(i);
                delivered.add(new ReverseOutcome.Delivered(t.row(), t.task(), t.target(), fresh.get(i)));
            }
            return new ReverseOutcome(queue, ids.size(), delivered, bad, preview);
        }
    }

    /**
     * What to quarantine of a message that cannot go back: the pgmq message, or the ledger's envelope copy where the
     * message was not read for want of it (the pgmq message itself stays in the queue's archive).
     */
    private static byte[] rawOf(PgmqMessage m, Map<String, byte[]> envelopes) {
        if (m.message() != null) {
            return m.message().getBytes(StandardCharsets.UTF_8);
        }
        byte[] kept = envelopes.get(identityOf(m));
        return kept == null ? new byte[0] : kept;
    }

    private static String identityOf(PgmqMessage m) {
        try {
            return m.headers() == null
                    ? null
                    : JSON.readTree(m.headers()).path(CeleryHeaders.IDENTITY).asText(null);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
