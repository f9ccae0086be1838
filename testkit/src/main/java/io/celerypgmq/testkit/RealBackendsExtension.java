package io.celerypgmq.testkit;

import java.time.Clock;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link TestPostgres} and {@link TestRedis} parameters. Leases live in the top-level test class's store,
 * so every method, lifecycle method and {@code @Nested} class of one class shares them and JUnit releases them when
 * that class finishes.
 */
public final class RealBackendsExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(RealBackendsExtension.class);

    private final Supplier<PostgresServer> postgres;
    private final Supplier<RedisServer> redis;

    public RealBackendsExtension() {
        this(TestBackends::postgres, TestBackends::redis);
    }

    /** With other servers than this JVM's choice; for testing the extension itself. */
    RealBackendsExtension(Supplier<PostgresServer> postgres, Supplier<RedisServer> redis) {
        this.postgres = postgres;
        this.redis = redis;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestPostgres.class || type == TestRedis.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext owner = topLevelClass(context);
        String ownerName = owner.getRequiredTestClass().getName();
        ExtensionContext.Store store = owner.getStore(NAMESPACE);
        try {
            if (parameter.getParameter().getType() == TestPostgres.class) {
                return store.getOrComputeIfAbsent(
                                DatabaseLease.class,
                                k -> DatabaseLease.create(postgres.get(), ownerName, Clock.systemUTC()),
                                DatabaseLease.class)
                        .handle();
            }
            return store.getOrComputeIfAbsent(
                            RedisIndexLease.class,
                            k -> RedisIndexLease.acquire(redis.get(), ownerName),
                            RedisIndexLease.class)
                    .handle();
        } catch (NoTestBackendException | TestBackendException e) {
            // keep the actionable message on top instead of JUnit's generic "failed to resolve parameter"
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }

    private static ExtensionContext topLevelClass(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getParent().flatMap(ExtensionContext::getTestClass).isPresent()) {
            current = current.getParent().orElseThrow();
        }
        return current;
    }
}
