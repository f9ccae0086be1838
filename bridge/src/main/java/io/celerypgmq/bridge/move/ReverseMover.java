package io.celerypgmq.bridge.pump;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.EncodeTarget;
import io.celerypgmq.bridge.codec.KombuEnvelope;
import io.celerypgmq.bridge.codec.MessageValidator;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.ledger.LedgerException;
import io.celerypgmq.bridge.ledger.Quarantine;
import io.celerypgmq.bridge.ledger.QuarantineEntry;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.redis.OnceOnlyPusher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * Rollback: takes pgmq messages, turns each back into a Celery protocol-2 message (the original envelope where the
 * ledger kept it or a header carried it, else synthesised from the payload and headers or the template's inverse),
 * validates it, LPUSHes it to the Celery list for its priority with an idempotency marker written in the same Redis
 * script, and only then archives it in pgmq, all while the batch's rows are locked in one transaction
 * ({@link LockedRows}). A crash before the commit leaves the rows as they were, takeable at once; the markers keep
 * the redo from pushing a second copy.
 */
public final class ReversePump implements AutoCloseable {
    /** Prefix of the once-only markers, {@code <prefix><pgmq queue>:<msg_id>}; replay uses the same ones. */
    public static final String MARKER_PREFIX = "celery-pgmq:reversed:";

    /** The once-only marker of one pgmq message going back to Celery (shared with replay's rollback). */
    public static String markerKey(String pgmqQueue, long msgId) {
        return MARKER_PREFIX + pgmqQueue + ":" + msgId;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PgmqClient pgmq;
    private final DataSource dataSource;
    private final OnceOnlyPusher pusher;
    private final MessageRebuilder rebuilder;
    private final PriorityKeys keys;
    private final BridgeSettings settings;
    private final PumpMetrics metrics;
    private final WriterThread writer = new WriterThread("reverse-writer");

    public ReversePump(
            PgmqClient pgmq,
            DataSource dataSource,
            UnifiedJedis redis,
            CeleryCodec codec,
            PriorityKeys keys,
            Map<String, PayloadTemplate> templates,
            BridgeSettings settings,
            PumpMetrics metrics) {
        this.pgmq = pgmq;
        this.dataSource = dataSource;
        this.pusher = new OnceOnlyPusher(redis);
        this.rebuilder = new MessageRebuilder(codec, templates);
        this.keys = keys;
        this.settings = settings;
        this.metrics = metrics;
    }

    /**
     * One pass over every reverse source, up to {@link ForwardPump#BATCHES_PER_PASS} batches each; true when any
     * message was handled.
     */
    public boolean runOnce() {
        boolean any = false;
        for (ReverseSource source : settings.reverse()) {
            any |= drainPass(source) > 0;
        }
        return any;
    }

    /**
     * Moves up to {@link ForwardPump#BATCHES_PER_PASS} batches of {@code source} back to Celery, taking and rebuilding
     * the next batch in a transaction of its own while the writer thread pushes, archives and commits this one;
     * returns how many pgmq messages were handled. Within a pass each batch is taken after the last id of the one
     * before, so the statement does not step over rows the writer holds; each pass starts again from the queue's
     * head, so rows skipped (locked by a consumer, or committed late with a lower id) are seen on the next. A failed
     * write rolls back its batch and the one taken behind it: both are takeable again at once.
     */
    public int drainPass(ReverseSource source) {
        AtomicInteger done = new AtomicInteger();
        AtomicLong after = new AtomicLong();
        writer.overlap(
                ForwardPump.BATCHES_PER_PASS, () -> take(source, after), this::write, done::addAndGet, Taken::discard);
        return done.get();
    }

    /** A batch taken from pgmq and rebuilt, its rows locked by {@code tx}: what goes to Celery, what to quarantine. */
    private record Taken(
            QueueName queue,
            Connection tx,
            List<PgmqMessage> batch,
            List<OnceOnlyPusher.Push> pushes,
            List<QuarantineEntry> bad) {
        /** Ends the batch's transaction without writing anything: its rows stay as they were. */
        void discard() {
            endQuietly(tx);
        }
    }

    private Taken take(ReverseSource source, AtomicLong after) {
        QueueName queue = QueueName.of(source.pgmqQueue());
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(false);
            LockedRows.Taken taken =
                    LockedRows.take(c, queue, LockedRows.VISIBLE, after.get(), settings.batchSize(), true, false);
            if (taken.isEmpty()) {
                endQuietly(c);
                return null;
            }
            after.set(taken.lastMsgId(after.get()));
            List<OnceOnlyPusher.Push> pushes = new ArrayList<>();
            List<QuarantineEntry> bad = new ArrayList<>();
            for (PgmqMessage m : taken.rows()) {
                try {
                    MessageRebuilder.Rebuilt r =
                            rebuilder.rebuild(m, queue.value(), source.celeryQueue(), taken.envelopes());
                    pushes.add(new OnceOnlyPusher.Push(
                            markerKey(queue.value(), m.msgId()),
                            keys.keyFor(source.celeryQueue(), r.priority()),
                            r.bytes()));
                } catch (RuntimeException e) {
                    byte[] raw = rawOf(m, taken.envelopes());
                    bad.add(new QuarantineEntry(
                            "pgmq:" + queue.value() + ":" + m.msgId() + ":" + KombuEnvelope.sha256(raw),
                            "pgmq:" + queue.value(),
                            raw,
                            "UNREVERSIBLE",
                            e.getMessage() == null ? e.toString() : e.getMessage()));
                }
            }
            return new Taken(queue, c, taken.rows(), pushes, bad);
        } catch (SQLException e) {
            endQuietly(c);
            throw new LedgerException("taking a batch of " + queue.value() + " for the way back", e);
        } catch (RuntimeException | Error e) {
            endQuietly(c);
            throw e;
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
        try {
            byte[] kept = envelopes.get(
                    JSON.readTree(m.headers()).path(CeleryHeaders.IDENTITY).asText(""));
            return kept == null ? new byte[0] : kept;
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /**
     * Push (once only) and, meanwhile, quarantine and archive; commit once the push has succeeded: invariant 1 on the
     * way back. The archive is not seen by anyone until the commit, so it may run while Redis takes the push; a
     * failure on either side rolls it back, and the markers keep the redo from pushing what was pushed.
     */
    private int write(Taken b) {
        OnceOnlyPusher.Pending pushing = pusher.pushMeanwhile(b.pushes());
        List<Boolean> pushed;
        try (Connection c = b.tx()) {
            try {
                Quarantine.record(c, b.bad());
                pgmq.in(c)
                        .archive(
                                b.queue(),
                                b.batch().stream().map(PgmqMessage::msgId).toList());
                pushed = pushing.await();
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                pushing.settle();
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerException(
                    "archiving " + b.batch().size() + " messages of "
                            + b.queue().value(),
                    e);
        }
        int fresh = (int) pushed.stream().filter(Boolean::booleanValue).count();
        metrics.reversed(fresh, pushed.size() - fresh, b.bad().size());
        return b.batch().size();
    }

    private static void endQuietly(Connection c) {
        if (c == null) {
            return;
        }
        rollbackQuietly(c);
        try {
            c.close();
        } catch (SQLException ignored) {
            // the pool discards a connection it cannot close
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // a broken connection's transaction is gone with it
        }
    }

    /** Stops the writer thread; call between passes. */
    @Override
    public void close() {
        writer.close();
    }

    /**
     * Turns a pgmq message back into Celery bytes; pure apart from the codec. A message going back to Celery is a new
     * publish, as with {@code celery migrate}: it gets a new delivery tag, derived from the pgmq queue and msg_id so a
     * redo builds the same bytes. Keeping the original tag would make the forward pump take the message for a
     * duplicate (and drop it) if its task type were routed to pgmq again.
     */
    public static final class MessageRebuilder {
        /** The Celery bytes and the priority whose list they belong on. */
        public record Rebuilt(byte[] bytes, Integer priority) {}

        private final CeleryCodec codec;
        private final Map<String, PayloadTemplate> templates;
        private final MessageValidator validator = MessageValidator.strict();

        public MessageRebuilder(CeleryCodec codec, Map<String, PayloadTemplate> templates) {
            this.codec = codec;
            this.templates = Map.copyOf(templates);
        }

        /**
         * @param envelopes the envelope copies the ledger keeps for this message's batch, by identity
         *     ({@link LockedRows.Taken#envelopes()})
         */
        public Rebuilt rebuild(PgmqMessage m, String pgmqQueue, String celeryQueue, Map<String, byte[]> envelopes) {
            JsonNode headers = parse(m.headers());
            String format = headers.path(CeleryHeaders.FORMAT).asText("");
            UUID tag = returnedTag(pgmqQueue, m.msgId());
            byte[] kept = format.equals("kombu")
                    ? m.message().getBytes(StandardCharsets.UTF_8)
                    : envelopes.get(headers.path(CeleryHeaders.IDENTITY).asText(""));
            if (kept == null && headers.hasNonNull(CeleryHeaders.ENVELOPE)) {
                kept = headers.get(CeleryHeaders.ENVELOPE).asText().getBytes(StandardCharsets.UTF_8);
            }
            if (kept != null) {
                // the original envelope goes back with a new tag, every other byte as it was, and is parsed once:
                // for the validator, which also shows the tag really is the new one; the payload is not needed
                byte[] bytes = retag(kept, tag);
                KombuEnvelope retagged = KombuEnvelope.parse(bytes, "pgmq");
                if (!retagged.deliveryTag().orElse("").equals(tag.toString())) {
                    throw new IllegalArgumentException("cannot give the envelope a new delivery_tag");
                }
                validator.validate(retagged);
                return new Rebuilt(bytes, retagged.priority().orElse(null));
            }
            CeleryMessage msg = synthesize(parse(m.message()), headers);
            byte[] bytes =
                    codec.encode(msg, EncodeTarget.of(celeryQueue, () -> tag).withPriority(msg.priority()));
            validator.validate(bytes);
            return new Rebuilt(bytes, codec.decode(bytes, "pgmq").priority());
        }

        /** The delivery tag of a pgmq message sent back to Celery: the same on every redo. */
        public static UUID returnedTag(String pgmqQueue, long msgId) {
            byte[] md5 = MD5.get()
                    .digest(("celery-pgmq:returned:" + pgmqQueue + ":" + msgId).getBytes(StandardCharsets.UTF_8));
            // UUID.nameUUIDFromBytes, with a digest kept per thread instead of one looked up for every message
            md5[6] &= 0x0f;
            md5[6] |= 0x30;
            md5[8] &= 0x3f;
            md5[8] |= (byte) 0x80;
            long msb = 0;
            long lsb = 0;
            for (int i = 0; i < 8; i++) {
                msb = (msb << 8) | (md5[i] & 0xff);
                lsb = (lsb << 8) | (md5[i + 8] & 0xff);
            }
            return new UUID(msb, lsb);
        }

        private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
            try {
                return MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM has no MD5", e);
            }
        });

        private static final byte[][] TAG_FIELDS = {
            "\"delivery_tag\": \"".getBytes(StandardCharsets.US_ASCII),
            "\"delivery_tag\":\"".getBytes(StandardCharsets.US_ASCII)
        };

        /**
         * The envelope with only its delivery tag's value replaced; every other byte stays as it was. The field must
         * appear exactly once as written by kombu ({@code "delivery_tag": "..."}, with or without the space); inside
         * an escaped JSON string (argsrepr, say) its quotes would be preceded by backslashes and not match. Works on
         * the bytes: the field and the tag are ASCII, which no multi-byte UTF-8 sequence contains.
         */
        static byte[] retag(byte[] envelope, UUID tag) {
            for (byte[] field : TAG_FIELDS) {
                int at = indexOf(envelope, field, 0);
                if (at < 0 || indexOf(envelope, field, at + 1) >= 0) {
                    continue;
                }
                int start = at + field.length;
                int end = start;
                while (end < envelope.length && envelope[end] != '"' && envelope[end] != '\\') {
                    end++;
                }
                if (end == envelope.length || envelope[end] != '"') {
                    continue;
                }
                byte[] value = tag.toString().getBytes(StandardCharsets.US_ASCII);
                byte[] out = new byte[envelope.length - (end - start) + value.length];
                System.arraycopy(envelope, 0, out, 0, start);
                System.arraycopy(value, 0, out, start, value.length);
                System.arraycopy(envelope, end, out, start + value.length, envelope.length - end);
                return out;
            }
            throw new IllegalArgumentException("cannot give the envelope a new delivery_tag: field not found once");
        }

        private static int indexOf(byte[] haystack, byte[] needle, int from) {
            outer:
            for (int i = from; i <= haystack.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        private CeleryMessage synthesize(JsonNode payload, JsonNode headers) {
            String task =
                    payload.path("task").asText(headers.path(CeleryHeaders.TASK).asText(""));
            if (task.isEmpty()) {
                throw new IllegalArgumentException("no task name in payload or x-celery-task header");
            }
            CeleryMessage.Builder b = CeleryMessage.builder().protocol(2).task(task);
            PayloadTemplate template = templates.get(task);
            String id;
            if (template != null && !payload.has("args")) {
                PayloadTemplate.Inverted inv = template.invert(payload);
                b.args(inv.args()).kwargs(inv.kwargs());
                id = inv.id();
            } else if (payload.has("args") || payload.has("kwargs")) {
                b.args(
                                payload.has("args")
                                        ? (com.fasterxml.jackson.databind.node.ArrayNode) payload.get("args")
                                        : JSON.createArrayNode())
                        .kwargs(
                                payload.has("kwargs")
                                        ? (com.fasterxml.jackson.databind.node.ObjectNode) payload.get("kwargs")
                                        : JSON.createObjectNode());
                id = payload.path("id").asText(null);
            } else {
                throw new IllegalArgumentException("payload for " + task + " has no args/kwargs and no template");
            }
            if (id == null) {
                id = headers.path(CeleryHeaders.ID).asText(null);
            }
            b.id(id != null ? id : java.util.UUID.randomUUID().toString());
            text(payload, headers, "eta", CeleryHeaders.ETA).ifPresent(b::eta);
            text(payload, headers, "expires", CeleryHeaders.EXPIRES).ifPresent(b::expires);
            b.retries(payload.path("retries")
                    .asInt(headers.path(CeleryHeaders.RETRIES).asInt(0)));
            text(payload, headers, "root_id", CeleryHeaders.ROOT_ID).ifPresent(b::rootId);
            text(payload, headers, "parent_id", CeleryHeaders.PARENT_ID).ifPresent(b::parentId);
            JsonNode prio =
                    payload.hasNonNull("priority") ? payload.get("priority") : headers.get(CeleryHeaders.PRIORITY);
            if (prio != null && prio.canConvertToInt()) {
                b.priority(prio.asInt());
            }
            return b.build();
        }

        private static java.util.Optional<String> text(
                JsonNode payload, JsonNode headers, String field, String header) {
            JsonNode v = payload.hasNonNull(field) ? payload.get(field) : headers.get(header);
            return v == null || v.isNull() ? java.util.Optional.empty() : java.util.Optional.of(v.asText());
        }

        private static JsonNode parse(String json) {
            if (json == null) {
                return JSON.createObjectNode();
            }
            try {
                return JSON.readTree(json);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
            }
        }
    }
}
