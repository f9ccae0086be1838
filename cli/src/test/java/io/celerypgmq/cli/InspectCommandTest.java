package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestRedis;
import io.celerypgmq.testkit.celery.CallSpec;
import io.celerypgmq.testkit.celery.PublishOptions;
import io.celerypgmq.testkit.celery.PublishedCall;
import io.celerypgmq.testkit.celery.RealCelery;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@RealBackends
class InspectCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static List<PublishedCall> published;

    @BeforeAll
    static void celeryPublishes(TestRedis redis) {
        published = RealCelery.require()
                .publish(
                        redis.url(),
                        List.of(
                                CallSpec.task("tasks.add", 2, 3),
                                CallSpec.task("reports.build", "q3").priority(6),
                                CallSpec.task("tasks.echo", "x").queue("emails")),
                        PublishOptions.defaults());
    }

    private static String url(TestRedis redis) {
        return "redis://" + redis.host() + ":" + redis.port() + "/" + redis.database();
    }

    @Test
    void jsonModePrintsOneObjectPerMessageAndTheCountsOnStderr(TestRedis redis) throws Exception {
        Cli cli = Cli.run("inspect", "--json", "--redis-url", url(redis));

        assertThat(cli.exitCode()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : cli.out().strip().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines)
                .extracting(l -> l.get("id").asText())
                .containsExactlyInAnyOrder(
                        published.get(0).messageId(),
                        published.get(1).messageId(),
                        published.get(2).messageId());
        JsonNode report = lines.stream()
                .filter(l -> l.get("task").asText().equals("reports.build"))
                .findFirst()
                .orElseThrow();
        assertThat(report.get("priority").asInt()).isEqualTo(6);
        assertThat(report.get("key").asText()).isEqualTo("celery\\x06\\x166");
        assertThat(report.get("args").get(0).asText()).isEqualTo("q3");
        assertThat(cli.err()).contains("3 messages").containsPattern("reports\\.build\\s+1");
    }

    @Test
    void namedQueuesLimitWhatIsReadAndTextModeEndsWithCountsPerTask(TestRedis redis) {
        Cli cli = Cli.run("inspect", "emails", "--redis-url", url(redis));

        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out())
                .contains("emails tasks.echo[" + published.get(2).messageId() + "]('x',)")
                .doesNotContain("tasks.add[")
                .contains("1 message")
                .containsPattern("tasks\\.echo\\s+1");
    }

    @Test
    void badPriorityStepsAreAUsageError(TestRedis redis) {
        Cli cli = Cli.run("inspect", "--priority-steps", "0,three", "--redis-url", url(redis));

        assertThat(cli.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.err()).contains("bad priority steps '0,three'");
    }

    @Test
    void anUnreachableRedisCannotStart() {
        Cli cli = Cli.run("inspect", "--redis-url", "redis://127.0.0.1:1/0");

        assertThat(cli.exitCode()).isEqualTo(ExitCode.CANNOT_START);
    }
}
