package io.celerypgmq.bridge.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.CodecOptions;
import io.celerypgmq.bridge.codec.EncodeTarget;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.move.ForwardMover;
import io.celerypgmq.bridge.move.ForwardRules;
import io.celerypgmq.bridge.move.InFlightList;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.bridge.pump.ExpiresPolicy;
import io.celerypgmq.bridge.pump.ForwardSource;
import io.celerypgmq.bridge.pump.PgmqPayloads;
import io.celerypgmq.bridge.pump.PriorityPolicy;
import io.celerypgmq.bridge.route.RouteTable;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** A survivor finishes the batch a dead instance left in flight (invariant 3), found through the heartbeats. */
@RealBackends
class OrphanReclaimerTest {

    @Test
    void aSilentInstancesInFlightBatchIsRedoneByASurvivorAndOnlyThen(TestPostgres pg, TestRedis backend)
            throws Exception {
        PgmqInstaller.ensure(pg.dataSource());
        BridgeSchema.install(pg.dataSource());
        try (JedisPooled redis = RedisConnections.open(backend.url())) {
            CeleryCodec codec = new CeleryCodec(CodecOptions.defaults());
            for (int i = 0; i < 3; i++) {
                String id = UUID.randomUUID().toString();
                CeleryMessage msg = CeleryMessage.builder()
                        .protocol(2)
                        .task("tasks.add")
                        .id(id)
                        .rootId(id)
                        .args(new com.fasterxml.jackson.databind.ObjectMapper()
                                .createArrayNode()
                                .add(i))
                        .kwargs(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode())
                        .build();
                redis.lpush("celery".getBytes(StandardCharsets.UTF_8), codec.encode(msg, EncodeTarget.of("celery")));
            }
            // The dead instance claimed the batch, registered, and then stopped beating.
            new Heartbeats(pg.dataSource(), "dead").register("host", 1, BridgeDaemon.IN_FLIGHT_PREFIX + "dead");
            new InFlightList(redis, BridgeDaemon.IN_FLIGHT_PREFIX + "dead:forward").claim(List.of("celery"), 10);

            BridgeSettings settings = new BridgeSettings(
                    "survivor",
                    10,
                    10,
                    5,
                    0,
                    PriorityKeys.DEFAULT_STEPS,
                    PriorityKeys.DEFAULT_SEPARATOR,
                    "",
                    ExpiresPolicy.FORWARD,
                    PriorityPolicy.HEADER,
                    false,
                    List.of(new ForwardSource("celery", "celery_workers")),
                    List.of());
            Heartbeats survivorBeats = new Heartbeats(pg.dataSource(), "survivor");
            survivorBeats.register("host", 2, BridgeDaemon.IN_FLIGHT_PREFIX + "survivor");
            ForwardMover recovery = new ForwardMover(
                    pg.dataSource(),
                    redis,
                    new InFlightList(redis, BridgeDaemon.IN_FLIGHT_PREFIX + "survivor:recovery"),
                    ForwardRules.bridge(
                            codec,
                            PriorityKeys.defaults(),
                            Map.of("celery", "celery_workers"),
                            new PgmqPayloads(Map.of(), false),
                            ExpiresPolicy.FORWARD,
                            PriorityPolicy.HEADER),
                    RouteTable::celeryOnly,
                    10,
                    "survivor",
                    Clock.systemUTC(),
                    PumpMetrics.NONE);
            OrphanReclaimer reclaimer = new OrphanReclaimer(redis, survivorBeats, settings, recovery);

            // While the dead instance's heartbeat is fresh, its batch is left alone.
            assertThat(reclaimer.runOnce()).isFalse();
            assertThat(redis.llen(BridgeDaemon.IN_FLIGHT_PREFIX + "dead:forward"))
                    .isEqualTo(3);

            try (Connection c = pg.connect();
                    Statement s = c.createStatement()) {
                s.execute("UPDATE celery_pgmq.instances SET heartbeat_at = now() - interval '1 minute'"
                        + " WHERE instance_id = 'dead'");
            }
            assertThat(reclaimer.runOnce()).isTrue();

            assertThat(redis.llen(BridgeDaemon.IN_FLIGHT_PREFIX + "dead:forward"))
                    .isZero();
            assertThat(redis.llen("celery_workers")).isEqualTo(3);
            assertThat(survivorBeats.live(5)).containsExactly("survivor");
        }
    }
}
