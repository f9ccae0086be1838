package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory stays bounded whatever the queue length: 12 000 messages of about 7 KB (over 80 MB in Redis) are previewed and
 * drained by a JVM allowed 32 MB of heap, which could not hold half of them at once. (Memory grows with the batch,
 * not the queue: 100 messages per batch here.)
 */
@RealBackends
class ReplayMemoryBoundTest {
    private static final int MESSAGES = 12_000;
    private static ReplayFixture f;

    @TempDir
    Path dir;

    @BeforeAll
    static void open(TestPostgres pg, TestRedis redis) {
        f = new ReplayFixture(pg, redis);
        f.reset();
    }

    @AfterAll
    static void close() {
        f.close();
    }

    @Test
    void aSmallHeapPreviewsAndDrainsAQueueFarLargerThanItself() throws Exception {
        List<String> expected = f.push("celery", "tasks.big", MESSAGES, 5000);
        assertThat(f.redis.memoryUsage("celery")).isGreaterThan(64L * 1024 * 1024);

        JsonNode preview = run("preview", "--dry-run");
        JsonNode drained = run("drain");

        assertThat(preview.get("moved").asLong()).isEqualTo(MESSAGES);
        assertThat(drained.get("moved").asLong()).isEqualTo(MESSAGES);
        assertThat(f.count("SELECT count(*) FROM pgmq.q_moved")).isEqualTo(MESSAGES);
        assertThat(f.count("SELECT count(DISTINCT headers->>'x-celery-identity') FROM pgmq.q_moved"))
                .isEqualTo(expected.size());
        assertThat(f.redis.exists("celery")).isFalse();
    }

    private JsonNode run(String name, String... extra) throws Exception {
        List<String> args = new ArrayList<>(
                List.of("replay", "redis-to-pgmq", "--queue", "moved", "--json", "--batch-size", "100"));
        args.addAll(f.connection());
        args.addAll(List.of(extra));
        Path out = dir.resolve(name + ".out");
        Process p = f.spawn(out, List.of("-Xmx32m", "-XX:+ExitOnOutOfMemoryError"), args);
        assertThat(p.waitFor(170, TimeUnit.SECONDS)).as(name + " finished").isTrue();
        String stdout = Files.readString(out);
        assertThat(p.exitValue())
                .as(name + ": " + stdout + Files.readString(dir.resolve(name + ".out.err")))
                .isZero();
        return new ObjectMapper().readTree(stdout);
    }
}
