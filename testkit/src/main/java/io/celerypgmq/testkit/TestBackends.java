package io.celerypgmq.testkit;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The servers this JVM's tests use: chosen once per store, lazily, on first need. A failed choice is remembered
 * too, so a missing backend costs one search per JVM rather than one per test class.
 */
final class TestBackends {
    /** System property first (handy in an IDE run configuration), then the environment. */
    static final UnaryOperator<String> SETTINGS = key -> {
        String value = System.getProperty(key);
        return value != null ? value : System.getenv(key);
    };

    private static final Once<PostgresServer> POSTGRES = new Once<>(() ->
            new BackendSelector<>("Postgres", PostgresProbes.all(SETTINGS), SETTINGS, PostgresProbes.HINT).select());
    private static final Once<RedisServer> REDIS = new Once<>(
            () -> new BackendSelector<>("Redis", RedisProbes.all(SETTINGS), SETTINGS, RedisProbes.HINT).select());

    private TestBackends() {}

    static PostgresServer postgres() {
        return POSTGRES.get();
    }

    static RedisServer redis() {
        return REDIS.get();
    }

    /** Computes a value or a failure exactly once and hands out the same one to every caller. */
    private static final class Once<T> {
        private final Supplier<T> compute;
        private T value;
        private RuntimeException failure;

        Once(Supplier<T> compute) {
            this.compute = compute;
        }

        synchronized T get() {
            if (value == null && failure == null) {
                try {
                    value = compute.get();
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw failure;
            }
            return value;
        }
    }
}
