package io.celerypgmq.bridge.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.route.RouteTable;
import io.celerypgmq.config.ConfigException;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/** The dashboard's parts on their own: a store that is down, the verdict table hook, caching, options. */
@RealBackends
class DashboardPartsTest {

    @Test
    void aRedisThatIsDownBlanksOnlyItsPart(TestPostgres pg) {
        BridgeSchema.install(pg.dataSource());
        try (JedisPooled nowhere = new JedisPooled(
                new HostAndPort("127.0.0.1", 1),
                DefaultJedisClientConfig.builder().connectionTimeoutMillis(500).build())) {
            JsonNode state = new DashboardState(
                            pg.dataSource(),
                            nowhere,
                            RouteTable::celeryOnly,
                            DashboardOptions.readOnly(PriorityKeys.defaults()))
                    .current();

            assertThat(state.get("redis_error").asText()).contains("JedisConnectionException");
            assertThat(state.get("redis").get("queues").isNull()).isTrue();
            assertThat(state.has("pgmq_error")).isFalse();
            assertThat(state.get("quarantine").get("total").asLong()).isZero();
            assertThat(state.get("routes").get(0).get("pattern").asText()).isEqualTo("*");
        }
    }

    @Test
    void settledLedgerRowsAreCountedOnceAndOnlyRecentOnesOnEveryRead(TestPostgres pg) throws SQLException {
        BridgeSchema.install(pg.dataSource());
        String task = "flow_count_" + System.nanoTime();
        AtomicInteger n = new AtomicInteger();
        try (Connection c = pg.connect();
                Statement s = c.createStatement()) {
            // bridged an hour ago (settled), and just now (recent)
            java.util.function.BiConsumer<String, String> row = (age, outcome) -> {
                try {
                    s.execute("INSERT INTO celery_pgmq.ledger (identity, task_id, task_name, source_key, route,"
                            + " pgmq_queue, outcome, bridged_at, instance) VALUES ('" + task + "-" + n.incrementAndGet()
                            + "', 'id', '" + task + "', 'celery', 'pgmq', 'q', '" + outcome + "', now() - interval '"
                            + age + "', 'test')");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            };
            row.accept("1 hour", "sent");
            row.accept("1 hour", "expired");
            row.accept("0 seconds", "sent");
            TaskFlow flow = new TaskFlow(pg.dataSource());
            assertThat(flow.read(Instant.now()).ledger().get(task))
                    .containsEntry("sent", 2L)
                    .containsEntry("expired", 1L);

            row.accept("0 seconds", "sent"); // recent rows are counted again on every read
            row.accept("1 hour", "sent"); // a row behind the mark (only a hand-made one can be) is not re-read
            assertThat(flow.read(Instant.now()).ledger().get(task)).containsEntry("sent", 3L);
            assertThat(new TaskFlow(pg.dataSource())
                            .read(Instant.now())
                            .ledger()
                            .get(task))
                    .containsEntry("sent", 4L)
                    .containsEntry("expired", 1L);
        }
    }

    @Test
    void oneStateIsServedForTheCachePeriod(TestPostgres pg) {
        BridgeSchema.install(pg.dataSource());
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        AtomicInteger reads = new AtomicInteger();
        try (JedisPooled nowhere = new JedisPooled(new HostAndPort("127.0.0.1", 1))) {
            DashboardState state = new DashboardState(
                    pg.dataSource(),
                    nowhere,
                    () -> {
                        reads.incrementAndGet();
                        return RouteTable.celeryOnly();
                    },
                    DashboardOptions.readOnly(PriorityKeys.defaults()).withClock(clock));
            state.current();
            clock.now = clock.now.plusMillis(999);
            state.current();
            assertThat(reads).hasValue(1);
            clock.now = clock.now.plusMillis(1);
            assertThat(state.current().get("generated_at").asText()).isEqualTo("2026-01-01T00:00:01Z");
            assertThat(reads).hasValue(2);
        }
    }

    @Test
    void aShortTokenIsRefusedAndNeverPrinted() {
        DashboardOptions options = DashboardOptions.readOnly(PriorityKeys.defaults());
        assertThatThrownBy(() -> options.withRouteToken("short")).hasMessageContaining("at least 16 characters");
        assertThat(options.withRouteToken("a-long-enough-secret-token").toString())
                .doesNotContain("a-long-enough-secret-token")
                .contains("routeChanges=on");
        assertThat(options.withCacheFor(Duration.ZERO).cacheFor()).isZero();
    }

    @Test
    void theConfigurationGivesTokenQueuesAndDlqSuffix() {
        ConfigSource source = ConfigSource.of(
                Map.of("CELERY_PGMQ_DASHBOARD_TOKEN", "from-the-environment-1234"),
                Map.of("dashboard.celery-queues", "celery, emails", "dashboard.dlq-suffix", "_dead"));
        DashboardOptions options = DashboardSettings.from(source, PriorityKeys.defaults());

        assertThat(options.routeToken()).isEqualTo("from-the-environment-1234");
        assertThat(options.celeryQueues()).containsExactly("celery", "emails");
        assertThat(options.dlqSuffix()).isEqualTo("_dead");
        assertThat(DashboardSettings.from(ConfigSource.of(Map.of(), Map.of()), PriorityKeys.defaults())
                        .allowsRouteChanges())
                .isFalse();
        assertThatThrownBy(() -> DashboardSettings.from(
                        ConfigSource.of(Map.of("CELERY_PGMQ_DASHBOARD_TOKEN", "short"), Map.of()),
                        PriorityKeys.defaults()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dashboard.token")
                .hasMessageNotContaining("short");
    }

    @Test
    void routeChangesAreRecordedAsTheTokensConfiguredOwner() {
        assertThat(DashboardSettings.from(ConfigSource.of(Map.of(), Map.of()), PriorityKeys.defaults())
                        .routeTokenOwner())
                .isEqualTo("dashboard");
        assertThat(DashboardSettings.from(
                                ConfigSource.of(Map.of(), Map.of("dashboard.token-owner", "ops on-call")),
                                PriorityKeys.defaults())
                        .routeTokenOwner())
                .isEqualTo("ops on-call");
        assertThatThrownBy(() -> DashboardSettings.from(
                        ConfigSource.of(Map.of(), Map.of("dashboard.token-owner", "ops\nforged")),
                        PriorityKeys.defaults()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dashboard.token-owner");
    }
}
