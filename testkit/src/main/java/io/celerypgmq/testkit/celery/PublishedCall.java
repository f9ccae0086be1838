package io.celerypgmq.testkit.celery;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What real Celery did with one {@link CallSpec}: the ids of the messages it published (one for a task or chain —
 * only a chain's first step is published —, one per member for a group or chord header), the id
 * {@code apply_async} returned, the group id, and the clock window of the publish (countdown and
 * {@code expires=<seconds>} are turned into absolute times inside it). {@code error} is set instead when the publish
 * raised (for example bytes under the json serializer).
 */
public record PublishedCall(
        int index,
        CallSpec call,
        String resultId,
        List<String> publishedIds,
        String groupId,
        Instant publishedAfter,
        Instant publishedBefore,
        String error) {

    public PublishedCall {
        Objects.requireNonNull(call, "call");
        publishedIds = List.copyOf(publishedIds);
        Objects.requireNonNull(publishedAfter, "publishedAfter");
        Objects.requireNonNull(publishedBefore, "publishedBefore");
    }

    public boolean failed() {
        return error != null;
    }

    /** The id of the single message a task or chain call published. */
    public String messageId() {
        if (publishedIds.size() != 1) {
            throw new IllegalStateException("call " + index + " published " + publishedIds.size() + " messages"
                    + (error == null ? "" : " (" + error + ")"));
        }
        return publishedIds.get(0);
    }

    @Override
    public String toString() {
        return "call " + index + " " + call.kind()
                + (call.task() == null ? "" : " " + call.task().task()) + " options="
                + call.options().keySet() + " -> " + (error != null ? "error " + error : publishedIds);
    }
}
