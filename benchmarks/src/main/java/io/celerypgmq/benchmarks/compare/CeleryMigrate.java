package io.celerypgmq.benchmarks.compare;

import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.benchmarks.scenario.Scenario;
import java.nio.charset.StandardCharsets;
import java.util.List;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Comparison row: {@code celery migrate} (Celery 5.2, Debian's) moving the same messages from the source list to
 * another queue on the same Redis, acking each; the only bulk mover Celery ships. Timed as a whole process, so its
 * interpreter start-up (about half a second) and its 0.2 s idle timeout at the end are in the figure.
 */
public final class CeleryMigrate implements Scenario {
    private final BenchEnv env;
    private int given;
    private long restoredToSource;

    public CeleryMigrate(BenchEnv env) {
        this.env = env;
    }

    public static boolean available() {
        return PythonTool.available("celery", "redis");
    }

    @Override
    public String id() {
        return "other.celery_migrate";
    }

    @Override
    public String label() {
        return "other: celery migrate, Redis → Redis (incl. start-up)";
    }

    @Override
    public String group() {
        return "other";
    }

    @Override
    public void prepare(int messages) {
        env.reset();
        env.fill(BenchEnv.SOURCE, messages);
        given = messages;
    }

    @Override
    public long run() {
        String url = PythonTool.redisUrl(env.backends().redis());
        PythonTool.Output out = PythonTool.run(
                List.of(
                        PythonTool.PYTHON,
                        "-m",
                        "celery",
                        "migrate",
                        url,
                        url,
                        "-Q",
                        BenchEnv.SOURCE + ":" + BenchEnv.WORKERS,
                        "-a",
                        "-n",
                        Integer.toString(given),
                        "-t",
                        "1"),
                600);
        if (out.exit() != 0) {
            throw new IllegalStateException("celery migrate failed: " + tail(out.text()));
        }
        restoredToSource = Math.max(restoredToSource, env.length(BenchEnv.SOURCE));
        return check();
    }

    /**
     * The most messages one pass left back in the source list after delivering every message: kombu restores the
     * one it had prefetched when migrate stops, so that message now exists twice.
     */
    public long restoredToSource() {
        return restoredToSource;
    }

    /** Whatever lists the migrated messages landed in (kombu picks the routing), the source aside. */
    @Override
    public long check() {
        long total = 0;
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = env.redis().scan(cursor, new ScanParams().count(100), "list");
            for (String key : page.getResult()) {
                if (!key.equals(BenchEnv.SOURCE)) {
                    total += env.redis().llen(key.getBytes(StandardCharsets.UTF_8));
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return total;
    }

    private static String tail(String text) {
        String t = text.strip();
        return t.length() > 400 ? t.substring(t.length() - 400) : t;
    }
}
