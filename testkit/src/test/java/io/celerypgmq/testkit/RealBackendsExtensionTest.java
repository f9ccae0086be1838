package io.celerypgmq.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

@RealBackends
class RealBackendsExtensionTest {
    private static TestPostgres fromBeforeAll;

    @BeforeAll
    static void createSchema(TestPostgres pg) throws SQLException {
        fromBeforeAll = pg;
        try (Connection c = pg.connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE greeting (id int PRIMARY KEY, text text NOT NULL)");
            st.execute("INSERT INTO greeting VALUES (1, 'hello')");
        }
    }

    @Test
    void postgresAnswersQueriesInAFreshTestDatabase(TestPostgres pg) throws SQLException {
        assertThat(pg.databaseName()).startsWith(DatabaseLease.PREFIX);
        assertThat(pg.jdbcUrl()).endsWith("/" + pg.databaseName());
        try (Connection c = pg.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_database(), 1 + 1")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(pg.databaseName());
            assertThat(rs.getInt(2)).isEqualTo(2);
        }
    }

    @Test
    void tablesMadeInBeforeAllAreSeenByTestsOfTheSameClass(TestPostgres pg) throws SQLException {
        assertThat(pg).isSameAs(fromBeforeAll);
        try (Connection c = pg.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT text FROM greeting WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("hello");
        }
    }

    @Test
    void redisStoresAndReturnsValuesInALeasedDatabase(TestRedis redis) {
        assertThat(redis.database()).isBetween(1, 15);
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            jedis.select(redis.database());
            jedis.set("greeting", "hello");
            assertThat(jedis.get("greeting")).isEqualTo("hello");
            assertThat(jedis.get(RedisIndexLease.KEY_PREFIX + redis.database()))
                    .as("leases live in database 0, not in the test's database")
                    .isNull();
        }
    }

    @Test
    void backendsSayWhereTheyComeFrom(TestPostgres pg, TestRedis redis) {
        assertThat(pg.backend()).matches("(env|testcontainers|local|embedded) .+");
        assertThat(redis.backend()).matches("(env|testcontainers|local|embedded) .+");
        assertThat(pg.toString()).contains(pg.databaseName());
    }

    @Nested
    class NestedTests {
        @Test
        void aNestedClassSharesItsOuterClassesDatabase(TestPostgres pg) {
            assertThat(pg).isSameAs(fromBeforeAll);
        }
    }
}
