package io.celerypgmq.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class real backends: declare a {@link TestPostgres} or {@link TestRedis} parameter on a test, lifecycle
 * method or constructor. Each class gets its own fresh database and Redis database index, released after the class.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RealBackendsExtension.class)
public @interface RealBackends {}
