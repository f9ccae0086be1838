package io.celerypgmq.benchmarks.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.benchmarks.env.Backends;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Shows that the bridge's memory is bounded by the batch, not the queue: the forward pump moves queues of growing
 * length in a child JVM whose heap ({@code -Xmx}) is far smaller than the queue. Peaks should stay flat as the queue
 * grows; an unbounded pump would run out of heap.
 */
public final class MemoryCheckRunner {
    private final Backends backends;

    public MemoryCheckRunner(Backends backends) {
        this.backends = backends;
    }

    public MemoryCheck run(int messages, int batch, int maxHeapMb) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeapMb + "m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                MemoryChild.class.getName(),
                Integer.toString(messages),
                Integer.toString(batch),
                Integer.toString(maxHeapMb)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("BENCH_DB_URL", backends.database().jdbcUrl());
        putIfSet(pb, "BENCH_DB_USER", backends.database().user());
        putIfSet(pb, "BENCH_DB_PASSWORD", backends.database().password());
        pb.environment().put("BENCH_REDIS_URL", redisUrl());
        StringBuilder output = new StringBuilder();
        try {
            Process p = pb.start();
            String result = null;
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith("MEMORY-CHECK ")) {
                        result = line.substring("MEMORY-CHECK ".length());
                    } else if (output.length() < 4_000) {
                        output.append(line).append('\n');
                    }
                }
            }
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            if (result == null) {
                return failed(
                        messages, batch, maxHeapMb, "child JVM exited " + p.exitValue() + ": " + lastLines(output));
            }
            return new ObjectMapper().readValue(result, MemoryCheck.class);
        } catch (IOException e) {
            return failed(messages, batch, maxHeapMb, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(messages, batch, maxHeapMb, "interrupted");
        }
    }

    private String redisUrl() {
        var r = backends.redis();
        String auth = r.password() == null
                ? ""
                : (r.user() == null ? "" : encode(r.user())) + ":" + encode(r.password()) + "@";
        return (r.tls() ? "rediss" : "redis") + "://" + auth + r.host() + ":" + r.port() + "/" + r.database();
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void putIfSet(ProcessBuilder pb, String name, String value) {
        if (value != null) {
            pb.environment().put(name, value);
        }
    }

    private static String lastLines(StringBuilder output) {
        String s = output.toString().strip();
        return s.length() > 600 ? s.substring(s.length() - 600) : s;
    }

    private static MemoryCheck failed(int messages, int batch, int maxHeapMb, String error) {
        return new MemoryCheck(messages, batch, maxHeapMb, 0, 0, null, null, false, error);
    }
}
