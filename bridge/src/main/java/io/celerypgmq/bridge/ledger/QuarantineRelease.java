package io.celerypgmq.bridge.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.KombuEnvelope;
import io.celerypgmq.bridge.codec.MessageValidator;
import io.celerypgmq.bridge.codec.UndecodableMessageException;
import io.celerypgmq.bridge.codec.ValidationException;
import io.celerypgmq.bridge.move.OnceOnlyPusher;
import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Sends one quarantined message back to its route, once, and audits it ({@code quarantine release}).
 *
 * <p>The quarantine row is locked, the message is sent, the release is recorded and the row deleted, and only then is
 * the transaction committed. A pgmq target is written in that same transaction. A Redis target is pushed with an
 * idempotency marker per quarantine row ({@link OnceOnlyPusher}): if the commit fails after the push, a second release
 * finds the marker and does not push again. A message going to Redis must pass the Celery 5.2 validator, so a release
 * never hands a worker a message it would die on; a message quarantined for an identity collision goes with a new
 * delivery tag, since its own is taken by another message.
 */
public final class QuarantineRelease {
    private static final Logger LOG = LoggerFactory.getLogger(QuarantineRelease.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Marks a pgmq message sent by a release; its value is the quarantined message's fingerprint. */
    public static final String RELEASED_HEADER = "x-celery-pgmq-released";

    private final DataSource db;
    private final PgmqClient pgmq;
    private final Supplier<UnifiedJedis> redis;
    private final String unackedKey;

    /**
     * @param redis opened only when a message goes to Redis
     * @param unackedKey kombu's {@code unacked} hash (with any global key prefix): a source without a list of its own
     */
    public QuarantineRelease(DataSource db, Supplier<UnifiedJedis> redis, String unackedKey) {
        this.db = Objects.requireNonNull(db, "db");
        this.pgmq = new PgmqClient(db);
        this.redis = Objects.requireNonNull(redis, "redis");
        this.unackedKey = Objects.requireNonNull(unackedKey, "unackedKey");
    }

    /**
     * What to release and how.
     *
     * @param target where to, or {@code null} for the message's own route ({@link ReleaseTarget#defaultFor})
     * @param replacement fixed bytes to send instead of the quarantined ones, or {@code null}
     * @param newDeliveryTag give the message a new delivery tag even where its reason does not ask for one
     */
    public record Request(
            long id, ReleaseTarget target, byte[] replacement, boolean newDeliveryTag, String by, String why) {
        public Request {
            Objects.requireNonNull(by, "by");
        }
    }

    /** What a release did. */
    public record Released(
            long releaseId,
            QuarantinedMessage message,
            ReleaseTarget target,
            String newIdentity,
            Long pgmqMsgId,
            boolean pushedEarlier) {}

    /**
     * @throws QuarantineReleaseException when the message is not (or no longer) quarantined, has no route to go back
     *     to, or would not be a valid message there; nothing is sent then
     */
    public Released release(Request r) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                Released done = release(c, r);
                c.commit();
                LOG.info(
                        "[quarantine] released #{} ({}, from {}) to {} by {}",
                        r.id(),
                        done.message().reason(),
                        done.message().sourceKey(),
                        done.target(),
                        r.by());
                return done;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerException("releasing quarantined message #" + r.id(), e);
        }
    }

    private Released release(Connection c, Request r) throws SQLException {
        QuarantinedMessage q = QuarantineStore.lock(c, r.id())
                .orElseThrow(() -> new QuarantineReleaseException("no quarantined message #" + r.id()
                        + " (see `celery-pgmq quarantine list`; a released one is listed" + " with --released)"));
        ReleaseTarget target = r.target() != null
                ? r.target()
                : ReleaseTarget.defaultFor(q.sourceKey(), unackedKey)
                        .orElseThrow(() -> new QuarantineReleaseException("#" + q.id() + " came from " + q.sourceKey()
                                + ", which is not a list; name where it goes with --to redis:<list> or"
                                + " --to pgmq:<queue>"));
        byte[] bytes = r.replacement() != null ? r.replacement() : q.raw();
        String newIdentity = null;
        if (r.newDeliveryTag() || q.isIdentityCollision()) {
            newIdentity = UUID.randomUUID().toString();
            bytes = retag(bytes, newIdentity, q);
        }
        Long msgId = null;
        boolean pushedEarlier = false;
        if (target instanceof ReleaseTarget.RedisList list) {
            validate(bytes, q);
            String marker = "celery-pgmq:quarantine-release:" + q.id() + ":" + q.fingerprint();
            pushedEarlier = !new OnceOnlyPusher(redis.get())
                    .push(List.of(new OnceOnlyPusher.Push(marker, list.key(), bytes)))
                    .get(0);
        } else if (target instanceof ReleaseTarget.PgmqQueue queue) {
            pgmq.create(queue.queue());
            msgId = pgmq.in(c).send(queue.queue(), json(bytes, q), headers(bytes, q), Delay.none());
        }
        long releaseId = QuarantineStore.recordRelease(c, q, target, bytes, newIdentity, msgId, r.by(), r.why());
        return new Released(releaseId, q, target, newIdentity, msgId, pushedEarlier);
    }

    /** A Celery list only takes what a 5.2 worker survives (CELERY-WIRE §10–11). */
    private static void validate(byte[] bytes, QuarantinedMessage q) {
        try {
            MessageValidator.strict().validate(bytes);
        } catch (ValidationException | UndecodableMessageException e) {
            throw new QuarantineReleaseException("#" + q.id() + " is not a message a Celery worker can take ("
                    + e.getMessage() + "); save it with `celery-pgmq quarantine show " + q.id()
                    + " --raw > fixed.json`,"
                    + " fix it, and release it with --replace-with fixed.json");
        }
    }

    /** The envelope with {@code properties.delivery_tag} set to {@code tag}; everything else as it was. */
    private static byte[] retag(byte[] bytes, String tag, QuarantinedMessage q) {
        ObjectNode envelope;
        try {
            envelope = KombuEnvelope.parse(bytes, q.sourceKey()).json();
        } catch (UndecodableMessageException e) {
            throw new QuarantineReleaseException(
                    "#" + q.id() + " needs a new delivery tag but is not a kombu envelope: " + e.getMessage());
        }
        JsonNode props = envelope.get("properties");
        ObjectNode properties = props instanceof ObjectNode o ? o : envelope.putObject("properties");
        properties.put("delivery_tag", tag);
        try {
            return JSON.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an envelope Jackson just read", e);
        }
    }

    private static String json(byte[] bytes, QuarantinedMessage q) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
            JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new QuarantineReleaseException("#" + q.id() + " is not JSON, which a pgmq message must be ("
                    + e.getOriginalMessage() + "); fix it and release it with --replace-with FILE");
        }
        return text;
    }

    /** A kombu envelope's headers, as kombu's pgmq transport writes them, plus where it came from. */
    private static String headers(byte[] bytes, QuarantinedMessage q) {
        ObjectNode headers = JSON.createObjectNode();
        try {
            JsonNode envelope = JSON.readTree(bytes);
            if (envelope.path("headers").isObject()
                    && envelope.path("properties").isObject()) {
                headers.setAll((ObjectNode) envelope.get("headers"));
            }
        } catch (java.io.IOException e) {
            // not JSON: json() refuses it before this matters
        }
        headers.put(RELEASED_HEADER, q.fingerprint());
        return headers.toString();
    }
}
