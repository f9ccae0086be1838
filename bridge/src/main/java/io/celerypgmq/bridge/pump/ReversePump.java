package io.celerypgmq.bridge.pump;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.EncodeTarget;
import io.celerypgmq.bridge.codec.KombuEnvelope;
import io.celerypgmq.bridge.codec.MessageValidator;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.ledger.Ledger;
import io.celerypgmq.bridge.ledger.LedgerException;
import io.celerypgmq.bridge.ledger.Quarantine;
import io.celerypgmq.bridge.ledger.QuarantineEntry;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.redis.OnceOnlyPusher;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * Rollback: reads pgmq messages, turns each back into a Celery protocol-2 message (the original envelope where the
 * ledger kept it or a header carried it, else synthesised from the payload and headers or the template's inverse),
 * validates it, LPUSHes it to
 * the Celery list for its priority with an idempotency marker written in the same Redis script, and only then
 * archives it in pgmq. A crash between the push and the archive finds the marker on redo: no second copy.
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
        this.rebuilder = new MessageRebuilder(codec, templates, MessageRebuilder.EnvelopeSource.ledger(dataSource));
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
     * Moves up to {@link ForwardPump#BATCHES_PER_PASS} batches of {@code source} back to Celery, reading and
     * rebuilding the next batch while the writer thread pushes and archives this one; returns how many pgmq messages
     * were handled. A batch read but not pushed (a failed write before it) is left to its visibility timeout, as a
     * crash would leave it.
     */
    public int drainPass(ReverseSource source) {
        AtomicInteger done = new AtomicInteger();
        writer.overlap(ForwardPump.BATCHES_PER_PASS, () -> read(source), this::write, done::addAndGet);
        return done.get();
    }

    /** A batch read from pgmq and rebuilt: what goes to Celery, what to quarantine, what to archive after. */
    private record ReadBatch(
            QueueName queue, List<PgmqMessage> batch, List<OnceOnlyPusher.Push> pushes, List<QuarantineEntry> bad) {}

    private ReadBatch read(ReverseSource source) {
        QueueName queue = QueueName.of(source.pgmqQueue());
        List<PgmqMessage> batch = pgmq.read(queue, source.visibilityTimeoutSeconds(), settings.batchSize(), null);
        if (batch.isEmpty()) {
            return null;
        }
        List<OnceOnlyPusher.Push> pushes = new ArrayList<>();
        List<QuarantineEntry> bad = new ArrayList<>();
        Map<String, byte[]> envelopes = rebuilder.envelopesFor(batch);
        for (PgmqMessage m : batch) {
            try {
                MessageRebuilder.Rebuilt r = rebuilder.rebuild(m, queue.value(), source.celeryQueue(), envelopes);
                pushes.add(new OnceOnlyPusher.Push(
                        markerKey(queue.value(), m.msgId()),
                        keys.keyFor(source.celeryQueue(), r.priority()),
                        r.bytes()));
            } catch (RuntimeException e) {
                byte[] raw = m.message() == null ? new byte[0] : m.message().getBytes(StandardCharsets.UTF_8);
                bad.add(new QuarantineEntry(
                        "pgmq:" + queue.value() + ":" + m.msgId() + ":" + KombuEnvelope.sha256(raw),
                        "pgmq:" + queue.value(),
                        raw,
                        "UNREVERSIBLE",
                        e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        return new ReadBatch(queue, batch, pushes, bad);
    }

    /** Push (once only), quarantine, and only then archive: invariant 1 on the way back. */
    private int write(ReadBatch b) {
        List<Boolean> pushed = pusher.push(b.pushes());
        quarantine(b.bad());
        pgmq.archive(b.queue(), b.batch().stream().map(PgmqMessage::msgId).toList());
        int fresh = (int) pushed.stream().filter(Boolean::booleanValue).count();
        metrics.reversed(fresh, pushed.size() - fresh, b.bad().size());
        return b.batch().size();
    }

    /** Stops the writer thread; call between passes. */
    @Override
    public void close() {
        writer.close();
    }

    private void quarantine(List<QuarantineEntry> bad) {
        if (bad.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            Quarantine.record(c, bad);
        } catch (SQLException e) {
            throw new LedgerException("quarantining " + bad.size() + " unreversible messages", e);
        }
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

        /** Where the original envelopes of {@code task} and {@code template} messages are kept: the ledger. */
        @FunctionalInterface
        public interface EnvelopeSource {
            /** The envelope copies kept for {@code identities}, by identity (those with none are left out). */
            Map<String, byte[]> find(Collection<String> identities);

            /** The ledger's {@code envelope} column, read on a connection of its own. */
            static EnvelopeSource ledger(DataSource dataSource) {
                return identities -> {
                    if (identities.isEmpty()) {
                        return Map.of();
                    }
                    try (Connection c = dataSource.getConnection()) {
                        return Ledger.envelopes(c, identities);
                    } catch (SQLException e) {
                        throw new LedgerException(
                                "reading the envelope copies of " + identities.size() + " messages", e);
                    }
                };
            }
        }

        private final CeleryCodec codec;
        private final Map<String, PayloadTemplate> templates;
        private final EnvelopeSource envelopes;
        private final MessageValidator validator = MessageValidator.strict();

        public MessageRebuilder(CeleryCodec codec, Map<String, PayloadTemplate> templates, EnvelopeSource envelopes) {
            this.codec = codec;
            this.templates = Map.copyOf(templates);
            this.envelopes = envelopes;
        }

        /**
         * The envelope copies the ledger keeps for the messages of {@code batch} that may need one (neither in the
         * {@code kombu} format nor carrying the legacy header), in one look-up; pass them to {@link #rebuild}.
         * Messages whose headers cannot be read are left to {@link #rebuild} to reject.
         */
        public Map<String, byte[]> envelopesFor(List<PgmqMessage> batch) {
            List<String> identities = new ArrayList<>();
            for (PgmqMessage m : batch) {
                if (m.headers() == null) {
                    continue;
                }
                try {
                    JsonNode headers = JSON.readTree(m.headers());
                    String identity = headers.path(CeleryHeaders.IDENTITY).asText("");
                    if (!identity.isEmpty()
                            && !headers.hasNonNull(CeleryHeaders.ENVELOPE)
                            && !headers.path(CeleryHeaders.FORMAT).asText("").equals("kombu")) {
                        identities.add(identity);
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    // rebuild says why
                }
            }
            return envelopes.find(identities);
        }

        /**
         * @param envelopes what {@link #envelopesFor} found for this message's batch
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
            return UUID.nameUUIDFromBytes(
                    ("celery-pgmq:returned:" + pgmqQueue + ":" + msgId).getBytes(StandardCharsets.UTF_8));
        }

        /**
         * The envelope with only its delivery tag's value replaced; every other byte stays as it was. The field must
         * appear exactly once as written by kombu ({@code "delivery_tag": "..."}, with or without the space); inside
         * an escaped JSON string (argsrepr, say) its quotes would be preceded by backslashes and not match.
         */
        static byte[] retag(byte[] envelope, UUID tag) {
            String text = new String(envelope, StandardCharsets.UTF_8);
            for (String sep : new String[] {"\": \"", "\":\""}) {
                String field = "\"delivery_tag" + sep;
                int at = text.indexOf(field);
                if (at < 0 || text.indexOf(field, at + 1) >= 0) {
                    continue;
                }
                int start = at + field.length();
                int end = text.indexOf('"', start);
                if (end < 0 || text.substring(start, end).contains("\\")) {
                    continue;
                }
                return (text.substring(0, start) + tag + text.substring(end)).getBytes(StandardCharsets.UTF_8);
            }
            throw new IllegalArgumentException("cannot give the envelope a new delivery_tag: field not found once");
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
