package io.celerypgmq.bridge.doctor;

import java.util.Objects;

/**
 * A store for {@code doctor} to examine: the open client, or why there is none (which becomes an error finding).
 *
 * @param where the store's address with the password masked
 */
public record StoreReach<T>(String where, T client, String problem) {
    public StoreReach {
        Objects.requireNonNull(where, "where");
        if ((client == null) == (problem == null)) {
            throw new IllegalArgumentException("give either a client or the problem reaching the store");
        }
    }

    public static <T> StoreReach<T> reached(String where, T client) {
        return new StoreReach<>(where, Objects.requireNonNull(client, "client"), null);
    }

    public static <T> StoreReach<T> unreachable(String where, String problem) {
        return new StoreReach<>(where, null, Objects.requireNonNull(problem, "problem"));
    }
}
