package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command: the whole journey on embedded stores, ending in a GO verdict and an HTML report. */
class DemoCommandTest {

    @Test
    void theQuickDemoWalksTheWholeJourneyAndEndsWithAGoVerdict(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.html");
        Cli cli = Cli.run("demo", "--quick", "--report", report.toString());

        assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out())
                .contains("[2] Look", "[3] Shadow", "Flip 10 %", "Flip to 100 %", "[6] Verify", "Roll back", "Cut over")
                .contains("Roll out generate_user_report on autopilot")
                .containsPattern("rollout #1 completed: on pgmq at 100 % → user_tasks")
                .contains("once it reaches 50 % the demo's pgmq worker starts failing it")
                .containsPattern(
                        "rolling back 2/3 \\(50 %\\)  rolling back to celery: breach during the hold: DLQ rate")
                .containsPattern("rolled back 2/3 \\(50 %\\)  rolled back: cleanup_inactive_users is on celery")
                .containsPattern("reconciled by task id: \\d+ cleanup_inactive_users tasks produced; .*; lost 0, ran"
                        + " twice 0")
                .contains("$ celery-pgmq route set send_welcome_email shadow")
                .contains("Gate: GO")
                .contains("0 missing")
                .doesNotContain("(exit code 4)");
        assertThat(Files.readString(report)).contains("<svg");
    }
}
