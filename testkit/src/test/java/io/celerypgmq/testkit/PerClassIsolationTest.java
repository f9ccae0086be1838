package io.celerypgmq.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.testkit.engine.EngineTestKit;
import redis.clients.jedis.Jedis;

/**
 * Two test classes running at the same time, each writing the same table and key names: neither sees the other's
 * data, and both databases are gone afterwards. Runs the classes through a nested JUnit engine, in parallel.
 */
class PerClassIsolationTest {
    static final String RUN = UUID.randomUUID().toString();
    static final CyclicBarrier BOTH_WROTE = new CyclicBarrier(2);
    static final Map<String, TestPostgres> POSTGRES = new ConcurrentHashMap<>();
    static final Map<String, TestRedis> REDIS = new ConcurrentHashMap<>();

    @Test
    void twoClassesRunningAtOnceNeverShareADatabaseOrARedisIndex() throws SQLException {
        var results = InsideEngineKit.run(() -> EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2")
                .selectors(selectClass(First.class), selectClass(Second.class))
                .execute());

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        TestPostgres first = POSTGRES.get("First");
        TestPostgres second = POSTGRES.get("Second");
        assertThat(first.databaseName()).isNotEqualTo(second.databaseName());
        assertThat(REDIS.get("First").database())
                .isNotEqualTo(REDIS.get("Second").database());
        assertThat(databaseExists(first.databaseName())).isFalse();
        assertThat(databaseExists(second.databaseName())).isFalse();
        for (TestRedis redis : REDIS.values()) {
            try (Jedis jedis = RedisIndexLease.connect(redis.url())) {
                assertThat(jedis.get("owner")).as("flushed after the class").isNotIn(RUN + "/First", RUN + "/Second");
            }
        }
    }

    private static boolean databaseExists(String name) throws SQLException {
        try (Connection c = Jdbc.open(TestBackends.postgres().adminUrl(), 5);
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @RealBackends
    abstract static class Participant {
        @Test
        void seesOnlyItsOwnData(TestPostgres pg, TestRedis redis) throws Exception {
            String me = getClass().getSimpleName();
            POSTGRES.put(me, pg);
            REDIS.put(me, redis);
            try (Connection c = pg.connect();
                    Statement st = c.createStatement();
                    Jedis jedis = RedisIndexLease.connect(redis.url())) {
                st.execute("CREATE TABLE owner (name text)");
                st.execute("INSERT INTO owner VALUES ('" + me + "')");
                jedis.set("owner", RUN + "/" + me);

                BOTH_WROTE.await(20, TimeUnit.SECONDS); // both classes hold their leases now

                List<String> owners = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT name FROM owner")) {
                    while (rs.next()) {
                        owners.add(rs.getString(1));
                    }
                }
                assertThat(owners).containsExactly(me);
                assertThat(jedis.get("owner")).isEqualTo(RUN + "/" + me);
            }
        }
    }

    @EnabledIf("io.celerypgmq.testkit.InsideEngineKit#active")
    static class First extends Participant {}

    @EnabledIf("io.celerypgmq.testkit.InsideEngineKit#active")
    static class Second extends Participant {}
}
