package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The replay commands' interface: help, exit codes, usage errors and reports, in-process on real stores. */
@RealBackends
class ReplayCommandTest {
    private static ReplayFixture f;

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

    private Cli replay(String... args) {
        List<String> all = new ArrayList<>(List.of("replay"));
        all.addAll(List.of(args));
        all.addAll(f.connection());
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void helpListsTheMovesAndTheirExitCodes() {
        Cli cli = Cli.run("replay", "--help");

        assertThat(cli.exitCode()).isZero();
        String help = cli.out().replaceAll("\\s+", " ");
        assertThat(help)
                .contains("redis-to-pgmq", "pgmq-to-redis", "redrive", "snapshot", "restore")
                .contains("Exit codes: 0 done")
                .contains("1 done or cancelled, but something was quarantined or left behind");
        assertThat(Cli.run("replay", "redis-to-pgmq", "--help").out())
                .contains("--workers-stopped", "--dry-run", "--rate", "--follow", "--older-than", "--limit");
    }

    @Test
    void taskTypesWithoutADestinationAreAUsageErrorThatNamesThemAndMovesNothing() {
        f.push("celery", "tasks.add", 3, 0);
        f.push("celery", "tasks.mul", 1, 0);

        Cli cli = replay("redis-to-pgmq");

        assertThat(cli.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err()).contains("tasks.add (3 messages)", "tasks.mul (1 messages)", "--queue");
        assertThat(f.redis.llen("celery")).isEqualTo(4);
    }

    @Test
    void aCleanDrainExitsZeroAndAQuarantineExitsOne() throws Exception {
        f.push("celery", "tasks.add", 5, 0);
        Cli clean = replay("redis-to-pgmq", "--queue", "moved", "--json");
        f.redis.lpush(
                "celery".getBytes(StandardCharsets.UTF_8), "{\"not\": \"celery\"}".getBytes(StandardCharsets.UTF_8));
        Cli dirty = replay("redis-to-pgmq", "--queue", "moved");

        assertThat(clean.exitCode()).isZero();
        assertThat(new ObjectMapper().readTree(clean.out()).get("moved").asLong())
                .isEqualTo(5);
        assertThat(dirty.exitCode()).isEqualTo(ExitCode.VERIFICATION_FAILED);
        assertThat(dirty.out()).containsPattern("quarantined +1");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(replay("redis-to-pgmq", "--queue", "q", "--older-than", "5 parsecs")
                        .exitCode())
                .isEqualTo(ExitCode.USAGE);
        Cli ageOnLists = replay("redis-to-pgmq", "--queue", "q", "--older-than", "10m");
        assertThat(ageOnLists.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(ageOnLists.err()).contains("--only-unacked");
        assertThat(replay("redis-to-pgmq", "--queue", "bad;name").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(replay("redis-to-pgmq", "--only-lists", "--only-unacked", "--queue", "q")
                        .exitCode())
                .isEqualTo(ExitCode.USAGE);
        assertThat(replay("redrive").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void anUnreachableRedisCannotStart() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli cli = Cli.run(
                "replay",
                "redis-to-pgmq",
                "--queue",
                "q",
                "--redis-url",
                "redis://127.0.0.1:" + port + "/0",
                "--database-url",
                f.databaseUrl);

        assertThat(cli.exitCode()).isEqualTo(ExitCode.CANNOT_START);
        assertThat(cli.err()).contains("Redis");
    }

    @Test
    void anAgeSelectsOnlyOldEnoughUnackedEntries() {
        String old = f.unacked("tasks.add", 1, 7200);
        f.unacked("tasks.add", 2, 60);

        Cli cli = replay(
                "redis-to-pgmq", "--queue", "moved", "--only-unacked", "--workers-stopped", "--older-than", "1h");

        assertThat(cli.exitCode()).isZero();
        assertThat(f.identitiesIn("moved")).containsExactly(old);
        assertThat(cli.out()).containsPattern("delivered less than --older-than ago +1");
    }
}
