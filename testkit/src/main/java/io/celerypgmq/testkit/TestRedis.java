package io.celerypgmq.testkit;

import io.celerypgmq.config.RedisUrl;
import java.util.Objects;

/**
 * One Redis database index for one test class, empty when the class starts and flushed when it ends. Resolve it as
 * a parameter under {@link RealBackends}.
 */
public final class TestRedis {
    private final RedisUrl url;
    private final String backend;

    TestRedis(RedisUrl url, String backend) {
        this.url = Objects.requireNonNull(url, "url");
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** The URL including this class's database index. */
    public RedisUrl url() {
        return url;
    }

    public String host() {
        return url.host();
    }

    public int port() {
        return url.port();
    }

    public int database() {
        return url.database();
    }

    /** Where the server comes from, e.g. {@code local 127.0.0.1:6379} or {@code embedded redis 7.0.15}. */
    public String backend() {
        return backend;
    }

    @Override
    public String toString() {
        return "TestRedis[db " + url.database() + " on " + backend + "]";
    }
}
