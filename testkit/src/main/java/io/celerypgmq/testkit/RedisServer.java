package io.celerypgmq.testkit;

import io.celerypgmq.config.RedisUrl;
import java.util.Objects;

/** A Redis server for tests; {@code url} points at database 0, where index leases live. */
record RedisServer(RedisUrl url, String description) {
    RedisServer {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(description, "description");
        url = url.withDatabase(0);
    }

    @Override
    public String toString() {
        return description + " at " + url.masked();
    }
}
