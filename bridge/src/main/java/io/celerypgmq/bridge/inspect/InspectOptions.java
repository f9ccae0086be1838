package io.celerypgmq.bridge.inspect;

import io.celerypgmq.bridge.codec.PriorityKeys;
import java.util.List;
import java.util.Objects;

/**
 * What {@link QueueInspector} reads.
 *
 * @param keys the broker's priority steps, separator and {@code global_keyprefix}
 * @param queues the queues to read; empty means every queue that has a list in Redis now
 * @param includeUnacked whether to read the {@code unacked} hash as well (entries restored to these queues)
 * @param limit stop after this many messages; 0 reads everything
 * @param pageSize elements per LRANGE or HSCAN call
 */
public record InspectOptions(PriorityKeys keys, List<String> queues, boolean includeUnacked, long limit, int pageSize) {

    public InspectOptions {
        Objects.requireNonNull(keys, "keys");
        queues = List.copyOf(queues);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (no limit) or positive, got " + limit);
        }
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be at least 1, got " + pageSize);
        }
    }

    public static InspectOptions everything(PriorityKeys keys) {
        return new InspectOptions(keys, List.of(), true, 0, RedisPeek.DEFAULT_PAGE_SIZE);
    }

    public InspectOptions withQueues(List<String> value) {
        return new InspectOptions(keys, value, includeUnacked, limit, pageSize);
    }

    public InspectOptions withLimit(long value) {
        return new InspectOptions(keys, queues, includeUnacked, value, pageSize);
    }

    public InspectOptions withUnacked(boolean value) {
        return new InspectOptions(keys, queues, value, limit, pageSize);
    }

    public InspectOptions withPageSize(int value) {
        return new InspectOptions(keys, queues, includeUnacked, limit, value);
    }
}
