package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drain as an operator runs it, in its own JVM: SIGKILLed at random moments and started again, it ends with every
 * message in pgmq exactly once; SIGTERM (Ctrl-C) finishes the batch in hand, prints the report and exits 1.
 */
@RealBackends
class ReplayKillResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ReplayFixture f;

    @TempDir
    Path dir;

    @BeforeAll
    static void open(TestPostgres pg, TestRedis redis) {
        f = new ReplayFixture(pg, redis);
    }

    @AfterAll
    static void close() {
        f.close();
    }

    @BeforeEach
    void clean() {
        f.reset();
    }

    private List<String> drainArgs() {
        List<String> args = new ArrayList<>(List.of("replay", "redis-to-pgmq"));
        args.addAll(f.connection());
        args.addAll(
                List.of("--queue", "moved", "--workers-stopped", "--batch-size", "200", "--rate", "3000", "--json"));
        return args;
    }

    private long ledger() {
        try {
            return f.count("SELECT count(*) FROM celery_pgmq.ledger");
        } catch (IllegalStateException notYet) {
            return 0; // the first run has not installed the schema yet
        }
    }

    @Test
    void killedAtRandomMomentsAndRestartedItMovesEveryMessageExactlyOnce() throws Exception {
        List<String> expected = new ArrayList<>(f.push("celery", "tasks.add", 6_000, 200));
        expected.addAll(f.push(ReplayFixture.P9, "tasks.urgent", 1_500, 200));
        for (int i = 0; i < 300; i++) {
            expected.add(f.unacked("tasks.held", i, 5));
        }
        Random random = new Random(42);
        int kills = 0;
        for (int run = 0; run < 4; run++) {
            long before = ledger();
            long target = before + 300 + random.nextInt(1200);
            Process p = f.spawn(dir.resolve("run" + run + ".out"), List.of(), drainArgs());
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> ledger() >= target || !p.isAlive());
            if (p.isAlive()) {
                p.destroyForcibly(); // SIGKILL: no shutdown hook, the batch in hand stays in flight
                p.waitFor(10, TimeUnit.SECONDS);
                kills++;
            }
        }
        Process last = f.spawn(dir.resolve("last.out"), List.of(), drainArgs());
        assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("last.out"));

        assertThat(kills).as("runs killed before they finished").isGreaterThanOrEqualTo(3);
        assertThat(last.exitValue())
                .as(out + Files.readString(dir.resolve("last.out.err")))
                .isZero();
        assertThat(f.identitiesIn("moved"))
                .hasSize(expected.size())
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(f.redis.keys("*"))
                .as("sources and in-flight lists are empty")
                .isEmpty();
        JsonNode report = JSON.readTree(out);
        assertThat(report.get("job_total").asLong()).isEqualTo(expected.size());
        assertThat(report.get("clean").asBoolean()).isTrue();
    }

    @Test
    void sigtermFinishesTheBatchInHandReportsAndExitsOne() throws Exception {
        List<String> expected = f.push("celery", "tasks.add", 8_000, 100);
        List<String> args = new ArrayList<>(drainArgs());
        args.set(args.indexOf("3000"), "1000");
        Process p = f.spawn(dir.resolve("term.out"), List.of(), args);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> ledger() >= 1000);

        p.destroy(); // SIGTERM, as Ctrl-C would send SIGINT: both run the shutdown hook
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        JsonNode report = JSON.readTree(Files.readString(dir.resolve("term.out")));
        assertThat(p.exitValue()).isEqualTo(ExitCode.VERIFICATION_FAILED);
        assertThat(report.get("state").asText()).isEqualTo("cancelled");
        assertThat(report.get("moved").asLong()).isEqualTo(ledger()).isLessThan(expected.size());
        assertThat(f.redis.keys("celery-pgmq:replay:*"))
                .as("no batch left in flight")
                .isEmpty();
        assertThat(f.redis.llen("celery")).isEqualTo(expected.size() - ledger());
    }
}
