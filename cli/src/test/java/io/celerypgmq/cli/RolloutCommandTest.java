package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rollout commands on a real Postgres, without a bridge driving: what {@code start} refuses and why, and how an
 * operator pauses, resumes and aborts, each audited in the rollout's events and the route history.
 */
@RealBackends
class RolloutCommandTest {

    @Test
    void startRefusesWhatTheMigrationRulesForbidAndSaysWhatToDo(TestPostgres pg, TestRedis redis) {
        try (ReplayFixture f = new ReplayFixture(pg, redis)) {
            Cli noShadow = run(f, "rollout", "start", "tasks.refused", "--queue", "refused_q");
            assertThat(noShadow.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(noShadow.err())
                    .contains("celery-pgmq: refused: tasks.refused is routed to celery, and a task type is shadowed"
                            + " before it moves: add --shadow 10m");

            Cli badSteps = run(f, "rollout", "start", "tasks.refused", "--steps", "10,5,100", "--shadow", "1m");
            assertThat(badSteps.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(badSteps.err()).contains("--steps must go up: 5 % after 10 %");

            Cli glob = run(f, "rollout", "start", "tasks.*", "--queue", "q", "--shadow", "1m");
            assertThat(glob.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(glob.err()).contains("give its exact name, not 'tasks.*'");

            Cli badHold =
                    run(f, "rollout", "start", "tasks.refused", "--queue", "q", "--shadow", "1m", "--hold", "ten");
            assertThat(badHold.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(badHold.err()).contains("'ten' is neither an instant");
            assertThat(run(f, "rollout", "list").out()).doesNotContain("tasks.refused");
        }
    }

    @Test
    void anOperatorPausesResumesAndAbortsARolloutAndEachStepIsAudited(TestPostgres pg, TestRedis redis) {
        try (ReplayFixture f = new ReplayFixture(pg, redis)) {
            Cli start = run(
                    f,
                    "rollout",
                    "start",
                    "send_welcome_email",
                    "--queue",
                    "user_tasks",
                    "--shadow",
                    "10m",
                    "--steps",
                    "5,50,100",
                    "--hold",
                    "5m",
                    "--celery-queue",
                    "celery_workers",
                    "--reason",
                    "canary",
                    "--by",
                    "alice");
            assertThat(start.exitCode()).as(start.err()).isZero();
            assertThat(start.out())
                    .startsWith("rollout #1 of send_welcome_email started: shadow → user_tasks_shadow, first gate at");
            assertThat(run(f, "route", "list").out()).containsPattern("send_welcome_email\\s+shadow\\s+100 %");

            Cli again = run(f, "rollout", "start", "send_welcome_email", "--queue", "user_tasks");
            assertThat(again.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(again.err()).contains("rollout #1 of send_welcome_email is already shadowing (step shadow)");

            Cli status = run(f, "rollout", "status", "send_welcome_email");
            assertThat(status.exitCode()).isZero();
            assertThat(status.out())
                    .contains("rollout #1 send_welcome_email: shadowing, step shadow, next gate in")
                    .contains("plan: steps 5,50,100 %, hold 5 min each, shadow 10 min → user_tasks_shadow, queue"
                            + " user_tasks (task), rollback to celery_workers")
                    .contains("driver: none: no bridge holds the rollout lease")
                    .contains("started by alice: shadow → user_tasks_shadow (canary)");

            Cli pause = run(f, "rollout", "pause", "1", "--reason", "deploy window", "--by", "bob");
            assertThat(pause.out())
                    .contains("rollout #1 send_welcome_email: paused, step shadow")
                    .contains("of the hold left");
            Cli pauseAgain = run(f, "rollout", "pause", "1");
            assertThat(pauseAgain.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(pauseAgain.err()).contains("rollout #1 cannot go from paused to paused");
            assertThat(run(f, "rollout", "resume", "send_welcome_email", "--by", "bob")
                            .out())
                    .contains("shadowing, step shadow, next gate in");

            Cli abort = run(f, "rollout", "abort", "send_welcome_email", "--reason", "wrong queue", "--by", "carol");
            assertThat(abort.exitCode()).isZero();
            assertThat(abort.out()).contains("rolling back, step shadow");
            assertThat(run(f, "route", "list").out()).containsPattern("send_welcome_email\\s+celery");
            assertThat(run(f, "route", "history").out())
                    .contains(
                            "shadow → user_tasks_shadow → celery  by carol  (rollout #1 shadow: aborted by carol: wrong"
                                    + " queue)");
            Cli abortAgain = run(f, "rollout", "abort", "1");
            assertThat(abortAgain.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(abortAgain.err()).contains("cannot go from rolling back to rolling back");

            Cli events = run(f, "rollout", "status", "1");
            assertThat(events.out())
                    .contains("cause: aborted by carol: wrong queue")
                    .contains("paused shadow  paused by bob: deploy window  [bob]")
                    .contains("shadowing shadow  resumed by bob  [bob]")
                    .contains("rolling back shadow  aborted by carol: wrong queue  [carol]");
            assertThat(run(f, "rollout", "list").out()).containsPattern("#1\\s+send_welcome_email\\s+rolling back");
            assertThat(run(f, "rollout", "status", "42").err()).contains("no rollout 42");
        }
    }

    private static Cli run(ReplayFixture f, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(f.connection());
        return Cli.run(all.toArray(String[]::new));
    }
}
