package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code status}: one line per task type with its route state, counted on real stores. A task type on pgmq at 100 %
 * is draining while Celery's Redis still holds messages of it and drained once it holds none.
 */
@RealBackends
class StatusCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTaskTypeOnPgmqIsDrainingWhileRedisHoldsItsMessagesAndDrainedOnceItHoldsNone(TestPostgres pg, TestRedis redis)
            throws Exception {
        try (ReplayFixture f = new ReplayFixture(pg, redis)) {
            f.reset();
            f.push("celery_workers", "send_welcome_email", 3, 0);
            f.push("celery_workers", "generate_user_report", 2, 0);
            run(f, "route", "set", "send_welcome_email", "shadow", "--queue", "user_tasks_shadow");
            run(f, "route", "set", "send_welcome_email", "pgmq", "--queue", "user_tasks", "--percent", "100");
            run(f, "route", "set", "cleanup_inactive_users", "shadow", "--queue", "user_tasks_shadow");
            run(f, "route", "set", "cleanup_inactive_users", "pgmq", "--queue", "user_tasks", "--percent", "25");
            PgmqClient pgmq = new PgmqClient(f.db);
            for (int i = 0; i < 2; i++) {
                pgmq.send(
                        QueueName.of("user_tasks"),
                        "{\"task\": \"send_welcome_email\"}",
                        "{\"x-celery-task\": \"send_welcome_email\"}",
                        Delay.none());
            }

            Cli draining = run(f, "status");

            assertThat(draining.exitCode()).as(draining.err()).isZero();
            assertThat(draining.out())
                    .contains("· Celery's Redis counted at ")
                    .contains("by this command")
                    .containsPattern(Pattern.quote("send_welcome_email: draining (Redis still holds 3 messages of that"
                                    + " type, last checked at ")
                            + ".*\\) → user_tasks · celery 0\\.0 msg/s, backlog 3, lag ≥ \\d+\\.\\d s · pgmq 0\\.0 msg/s,"
                            + " backlog 2, lag \\d+\\.\\d s")
                    .contains("generate_user_report: celery · celery 0.0 msg/s, backlog 2,")
                    .contains("cleanup_inactive_users: ramping 25 % → user_tasks · celery 0.0 msg/s, backlog 0, lag 0"
                            + " s · pgmq 0.0 msg/s, backlog 0, lag 0 s");

            f.redis.del("celery_workers");
            Cli drained = run(f, "status", "--json");
            JsonNode tasks = JSON.readTree(drained.out()).get("tasks");
            JsonNode welcome = find(tasks, "send_welcome_email");
            assertThat(welcome.get("state").asText()).isEqualTo("drained");
            assertThat(welcome.get("redis_holds").asLong()).isZero();
            assertThat(welcome.get("pgmq").get("backlog").asLong()).isEqualTo(2);
            assertThat(welcome.get("line").asText())
                    .startsWith("send_welcome_email: drained (Redis holds none of that" + " type, last checked at ");
            assertThat(find(tasks, "cleanup_inactive_users").get("state").asText())
                    .isEqualTo("ramping");
        }
    }

    @Test
    void watchingRedrawsInPlaceOnATerminalAndPrintsTimeStampedLinesWhenPiped(TestPostgres pg, TestRedis redis) {
        try (ReplayFixture f = new ReplayFixture(pg, redis)) {
            f.push("celery", "tasks.watched", 1, 0);

            Cli piped = run(f, "status", "--watch", "--interval", "200ms", "--count", "2");
            assertThat(piped.exitCode()).as(piped.err()).isZero();
            List<String> frames = piped.out()
                    .lines()
                    .filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d celery-pgmq status at .*"))
                    .toList();
            assertThat(frames).hasSize(2);
            assertThat(piped.out()).containsPattern("\\d\\d:\\d\\d:\\d\\d tasks\\.watched: celery · celery");
            assertThat(piped.out()).doesNotContain("\u001b[");

            Cli terminal = run(f, "status", "--watch", "--interval", "200ms", "--count", "3", "--redraw");
            long redraws = terminal.out().split(Pattern.quote("\u001b[")).length - 1;
            assertThat(redraws)
                    .as("cursor up and clear, before the second and third frame")
                    .isEqualTo(4);
            assertThat(terminal.out()).contains("tasks.watched: celery");

            Cli badInterval = run(f, "status", "--interval", "soon");
            assertThat(badInterval.exitCode()).isEqualTo(ExitCode.USAGE);
        }
    }

    private static JsonNode find(JsonNode tasks, String task) {
        for (JsonNode t : tasks) {
            if (t.get("task").asText().equals(task)) {
                return t;
            }
        }
        throw new AssertionError("no " + task + " in " + tasks);
    }

    private static Cli run(ReplayFixture f, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(f.connection());
        return Cli.run(all.toArray(String[]::new));
    }
}
