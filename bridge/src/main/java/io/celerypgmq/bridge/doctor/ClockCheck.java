package io.celerypgmq.bridge.doctor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * Clock skew between this host, Redis ({@code TIME}) and Postgres ({@code clock_timestamp()}). Celery workers compare
 * ETAs with their own clocks, kombu scores {@code unacked} with the client's, pgmq makes a message visible by
 * Postgres' clock: skew shifts when delayed tasks run and when kombu restores. Each reading is taken against the
 * midpoint of its round trip, and half the round trip is forgiven.
 */
final class ClockCheck {
    private static final String FIX = "synchronise the clocks with NTP (chrony or systemd-timesyncd) on this host, the"
            + " Redis host, the Postgres host and the Celery workers";

    private ClockCheck() {}

    static List<Finding> redis(UnifiedJedis redis, Clock clock, DoctorOptions options, String where) {
        Instant sent = clock.instant();
        Object reply = redis.sendCommand(Protocol.Command.TIME);
        Instant received = clock.instant();
        List<?> parts = (List<?>) reply;
        long seconds = Long.parseLong(RedisServerCheck.text(parts.get(0)));
        long micros = Long.parseLong(RedisServerCheck.text(parts.get(1)));
        Instant remote = Instant.ofEpochSecond(seconds, micros * 1000);
        return List.of(judge("Redis", where, sent, received, remote, options));
    }

    static List<Finding> postgres(Connection c, Clock clock, DoctorOptions options, String where) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT clock_timestamp()")) {
            Instant sent = clock.instant();
            Instant remote;
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                remote = rs.getTimestamp(1).toInstant();
            }
            Instant received = clock.instant();
            return List.of(judge("Postgres", where, sent, received, remote, options));
        }
    }

    static Finding judge(String store, String where, Instant sent, Instant received, Instant remote, DoctorOptions o) {
        Duration roundTrip = Duration.between(sent, received);
        Instant midpoint = sent.plus(roundTrip.dividedBy(2));
        Duration skew = Duration.between(midpoint, remote);
        Duration beyondDoubt = skew.abs().minus(roundTrip.dividedBy(2));
        String ahead = skew.isNegative() ? "behind" : "ahead of";
        String fact = store + "'s clock is " + skew.abs().toMillis() + " ms " + ahead + " this host's (round trip "
                + roundTrip.toMillis() + " ms)";
        if (beyondDoubt.compareTo(o.skewError()) >= 0) {
            return Finding.error("clock", where, fact, FIX);
        }
        if (beyondDoubt.compareTo(o.skewWarning()) >= 0) {
            return Finding.warning("clock", where, fact, FIX);
        }
        return Finding.info("clock", where, fact);
    }
}
