package io.celerypgmq.benchmarks.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * Who burns the CPU during a pass: this JVM, the Postgres processes serving the bench database (plus the WAL writer,
 * checkpointer and background writer) and the Redis server, in cores (1.0 = one core busy the whole pass), read from
 * {@code /proc}. On a 2-core machine a sum near 2 means the pass was CPU-bound, whatever the code does.
 */
public final class CpuMeter {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    private static final String POSTGRES_PIDS = "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            + " OR backend_type IN ('walwriter', 'checkpointer', 'background writer')";

    /**
     * Average cores busy during the pass, per party; {@code others} is the rest of the machine (other builds, tests),
     * the noise to read a figure against. {@code null} where /proc could not tell.
     */
    public record Usage(Double jvm, Double postgres, Double redis, Double others) {}

    private final DataSource db;
    private final Long redisPid;

    public CpuMeter(DataSource db, UnifiedJedis redis) {
        this.db = db;
        this.redisPid = redisPid(redis);
    }

    /** Starts measuring; call {@link Running#stop()} when the pass ends. */
    public Running start() {
        return new Running();
    }

    /** One measurement in progress. */
    public final class Running {
        private final Map<Long, Long> postgres = postgresTicks(Set.of());
        private final long redisTicks = redisPid == null ? -1 : ticks(redisPid);
        private final long jvmTicks = ticks(ProcessHandle.current().pid());
        private final long machineTicks = machineBusyTicks();
        private final long began = System.nanoTime();

        public Usage stop() {
            double seconds = (System.nanoTime() - began) / 1e9;
            double jvm = (ticks(ProcessHandle.current().pid()) - jvmTicks) / TICKS_PER_SECOND / seconds;
            Map<Long, Long> now = postgresTicks(postgres.keySet());
            long pg = 0;
            for (Map.Entry<Long, Long> e : now.entrySet()) {
                pg += e.getValue() - postgres.getOrDefault(e.getKey(), 0L);
            }
            Double redis = redisTicks < 0 ? null : (ticks(redisPid) - redisTicks) / TICKS_PER_SECOND / seconds;
            double postgresCores = pg / TICKS_PER_SECOND / seconds;
            long machine = machineBusyTicks();
            Double others = machine < 0 || machineTicks < 0
                    ? null
                    : round(Math.max(
                            0,
                            (machine - machineTicks) / TICKS_PER_SECOND / seconds
                                    - jvm
                                    - postgresCores
                                    - (redis == null ? 0 : redis)));
            return new Usage(round(jvm), round(postgresCores), redis == null ? null : round(redis), others);
        }
    }

    private Map<Long, Long> postgresTicks(Set<Long> alsoThese) {
        Set<Long> pids = new HashSet<>(alsoThese);
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(POSTGRES_PIDS)) {
            while (rs.next()) {
                pids.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            return Map.of();
        }
        Map<Long, Long> out = new HashMap<>();
        for (long pid : pids) {
            long t = ticks(pid);
            if (t >= 0) {
                out.put(pid, t);
            }
        }
        return out;
    }

    /** Busy ticks of the whole machine (all cores): everything but idle and iowait, from /proc/stat. */
    static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of a process, in ticks; -1 when it is gone or not ours to read. */
    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Long redisPid(UnifiedJedis redis) {
        try {
            Object reply = redis.sendCommand(Protocol.Command.INFO, "server");
            String info = reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("process_id:")) {
                    long pid = Long.parseLong(
                            line.substring("process_id:".length()).trim());
                    return ticks(pid) >= 0 ? pid : null;
                }
            }
        } catch (RuntimeException e) {
            // not local, or INFO refused: leave Redis out
        }
        return null;
    }

    private static double round(double cores) {
        return Math.round(cores * 100) / 100.0;
    }
}
