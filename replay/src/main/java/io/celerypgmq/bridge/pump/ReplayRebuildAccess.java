package io.celerypgmq.bridge.pump;

import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import java.util.Map;

/**
 * Lets replay turn pgmq messages back into Celery bytes with exactly the reverse pump's rebuilder and validator, and
 * key its once-only markers as the reverse pump does (so the two never push one pgmq message twice between them).
 *
 * <p>Stopgap: {@code ReversePump.MessageRebuilder} and {@code ReversePump.MARKER_PREFIX} are package-private in the
 * bridge. Once the bridge makes them public, replay should call them directly and this class goes away.
 */
public final class ReplayRebuildAccess {
    /** Celery bytes for one pgmq message, and the priority whose list they belong on. */
    public record Rebuilt(byte[] bytes, Integer priority) {}

    private final ReversePump.MessageRebuilder rebuilder;

    public ReplayRebuildAccess(CeleryCodec codec, Map<String, PayloadTemplate> templates) {
        this.rebuilder = new ReversePump.MessageRebuilder(codec, templates);
    }

    /**
     * @throws RuntimeException (validation, decoding, template) when the message cannot become a Celery message a
     *     5.2 worker handles; the caller quarantines it
     */
    public Rebuilt rebuild(PgmqMessage message, String pgmqQueue, String celeryQueue) {
        ReversePump.MessageRebuilder.Rebuilt r = rebuilder.rebuild(message, pgmqQueue, celeryQueue);
        return new Rebuilt(r.bytes(), r.priority());
    }

    /** The reverse pump's idempotency marker for a pgmq message. */
    public static String markerKey(String pgmqQueue, long msgId) {
        return ReversePump.MARKER_PREFIX + pgmqQueue + ":" + msgId;
    }
}
