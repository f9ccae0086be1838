package io.celerypgmq.replay;

import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CodecOptions;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.bridge.pump.PayloadTemplate;
import io.celerypgmq.bridge.pump.PayloadTemplates;
import io.celerypgmq.bridge.pump.PgmqPayloads;
import io.celerypgmq.config.ConfigSource;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * What every replay job works with: the two stores, Celery's key layout, the codec and payload mapping the bridge uses
 * (so a replayed message looks exactly like a bridged one), and the clock.
 */
public record ReplayContext(
        DataSource db,
        UnifiedJedis redis,
        BridgeSettings bridge,
        Map<String, PayloadTemplate> templates,
        ReplaySettings settings,
        Clock clock) {

    public ReplayContext {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(bridge, "bridge");
        templates = Map.copyOf(templates);
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
    }

    /** Reads the bridge's layout, templates and the replay settings from the configuration. */
    public static ReplayContext from(ConfigSource config, DataSource db, UnifiedJedis redis, Clock clock) {
        return new ReplayContext(
                db,
                redis,
                BridgeSettings.from(config),
                PayloadTemplates.from(config),
                ReplaySettings.from(config),
                clock);
    }

    public PriorityKeys keys() {
        return new PriorityKeys(bridge.prioritySteps(), bridge.prioritySeparator(), bridge.globalKeyPrefix());
    }

    public CeleryCodec codec() {
        return new CeleryCodec(CodecOptions.defaults().withPriorityKeys(keys()));
    }

    public PgmqPayloads payloads() {
        return new PgmqPayloads(templates, bridge.keepEnvelope());
    }

    /** kombu's {@code unacked} hash, with the global key prefix. */
    public String unackedKey() {
        return keys().unackedKey();
    }

    public String unackedIndexKey() {
        return keys().unackedIndexKey();
    }
}
