package io.celerypgmq.replay;

import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.UndecodableMessageException;

/**
 * Decides, for one message a drain has peeked at, whether it takes it and, if not, why. Pure apart from the codec;
 * the same decision drives the dry run, the pre-flight check and the real take, so they always agree.
 */
final class Selection {
    /** What happens to one message; {@code task} is null when it could not be decoded. */
    record Verdict(Outcome outcome, String task, String reason) {
        boolean take() {
            return outcome == Outcome.TAKE;
        }
    }

    enum Outcome {
        /** Move it (it may still end up quarantined, which is a move into the quarantine table). */
        TAKE,
        /** The job's own filters exclude it: intentional, not a problem. */
        SKIP,
        /** It stays in Redis and the operator should know: no destination, too recent, ambiguous. */
        LEAVE
    }

    static final String NO_DESTINATION = "no pgmq destination for task type ";
    static final String UNDECODABLE_FILTERED = "undecodable, so a task filter cannot tell whether to take it";

    private final CeleryCodec codec;
    private final ReplayFilter filter;
    private final Destinations destinations;

    Selection(CeleryCodec codec, ReplayFilter filter, Destinations destinations) {
        this.codec = codec;
        this.filter = filter;
        this.destinations = destinations;
    }

    /** A list element. */
    Verdict listed(byte[] raw, String sourceKey) {
        CeleryMessage msg;
        try {
            msg = codec.decode(raw, sourceKey);
        } catch (UndecodableMessageException e) {
            return undecodable();
        }
        return decoded(msg);
    }

    /** An {@code unacked} value, already known to belong to one of the job's queues and to be old enough. */
    Verdict unacked(byte[] value, String hashKey) {
        CeleryMessage msg;
        try {
            msg = codec.decodeUnacked(value, hashKey).message();
        } catch (UndecodableMessageException e) {
            return undecodable();
        }
        return decoded(msg);
    }

    private Verdict undecodable() {
        // Without a filter an undecodable message is taken and quarantined, as the bridge does; with one we
        // cannot know whether it was meant, so it stays where it is.
        return filter.inspectsContent()
                ? new Verdict(Outcome.LEAVE, null, UNDECODABLE_FILTERED)
                : new Verdict(Outcome.TAKE, null, null);
    }

    private Verdict decoded(CeleryMessage msg) {
        if (!filter.matchesTask(msg.task(), msg.id())) {
            return new Verdict(Outcome.SKIP, msg.task(), "not selected by --task/--task-id");
        }
        if (destinations.queueFor(msg.task()).isEmpty()) {
            return new Verdict(Outcome.LEAVE, msg.task(), NO_DESTINATION + msg.task());
        }
        return new Verdict(Outcome.TAKE, msg.task(), null);
    }
}
