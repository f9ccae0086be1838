package io.celerypgmq.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

@RealBackends
class PostgresPoolTest {

    @Test
    void connectionsCompressWithLz4WhereTheServerHasItAndLeaveTheSettingAloneElsewhere(TestPostgres pg)
            throws SQLException {
        boolean serverHasLz4;
        try (Connection plain = pg.connect();
                Statement s = plain.createStatement();
                ResultSet rs = s.executeQuery("SELECT coalesce(bool_or('lz4' = ANY(enumvals)), false) FROM pg_settings"
                        + " WHERE name = 'default_toast_compression'")) {
            rs.next();
            serverHasLz4 = rs.getBoolean(1);
        }
        try (HikariDataSource pool = PostgresPool.open(pg.url(), 2, "lz4-test");
                Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('default_toast_compression', true)")) {
            rs.next();
            String setting = rs.getString(1);
            if (serverHasLz4) {
                assertThat(setting).isEqualTo("lz4");
            } else {
                assertThat(setting).isNotEqualTo("lz4");
            }
        }
    }

    @Test
    void preparedStatementsArePlannedForEachExecutionSoAnEmptyLedgersPlanIsNeverKept(TestPostgres pg)
            throws SQLException {
        try (HikariDataSource pool = PostgresPool.open(pg.url(), 1, "plan-test");
                Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW plan_cache_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("force_custom_plan");
        }
    }
}
