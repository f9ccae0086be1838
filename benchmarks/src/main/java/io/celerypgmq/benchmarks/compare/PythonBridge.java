package io.celerypgmq.benchmarks.compare;

import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.benchmarks.scenario.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Comparison row: a hand-written Python bridge (RPOP, one auto-committed {@code pgmq.send} per message). */
public final class PythonBridge implements Scenario {
    private final BenchEnv env;
    private Path script;

    public PythonBridge(BenchEnv env) {
        this.env = env;
    }

    public static boolean available() {
        return PythonTool.available("redis", "psycopg2");
    }

    @Override
    public String id() {
        return "other.python_bridge";
    }

    @Override
    public String label() {
        return "other: hand-written Python bridge (1 pgmq.send/msg)";
    }

    @Override
    public String group() {
        return "other";
    }

    @Override
    public void prepare(int messages) {
        env.reset();
        env.fill(BenchEnv.SOURCE, messages);
        if (script == null) {
            script = copyScript();
        }
    }

    @Override
    public long run() {
        PythonTool.Output out = PythonTool.run(
                List.of(
                        PythonTool.PYTHON,
                        script.toString(),
                        PythonTool.libpqDsn(env.backends().database()),
                        PythonTool.redisUrl(env.backends().redis()),
                        BenchEnv.SOURCE,
                        BenchEnv.QUEUE.value()),
                600);
        String[] last = out.text().strip().split("\n");
        String[] moved = last[last.length - 1].trim().split(" ");
        if (out.exit() != 0 || moved.length != 2) {
            throw new IllegalStateException(
                    "python bridge failed: " + out.text().strip());
        }
        return Long.parseLong(moved[0]);
    }

    @Override
    public long check() {
        return env.pgmqCount(BenchEnv.QUEUE);
    }

    private static Path copyScript() {
        try (InputStream in = PythonBridge.class.getResourceAsStream("/io/celerypgmq/benchmarks/python_bridge.py")) {
            if (in == null) {
                throw new IllegalStateException("python_bridge.py missing from the benchmarks jar");
            }
            Path file = Files.createTempFile("celery-pgmq-python-bridge", ".py");
            file.toFile().deleteOnExit();
            Files.write(file, in.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
