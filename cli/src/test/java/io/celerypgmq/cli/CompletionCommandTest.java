package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionCommandTest {

    @Test
    void theScriptOffersEveryTopLevelCommand() {
        Cli cli = Cli.run("completion");

        assertThat(cli.exitCode()).isZero();
        Set<String> commands = CeleryPgmq.commandLine().getSubcommands().keySet();
        assertThat(commands).contains("bridge", "route", "verify", "replay", "completion");
        for (String command : commands) {
            assertThat(cli.out()).as("completion for '%s'", command).containsPattern("\\b" + command + "\\b");
        }
    }

    @Test
    void theScriptOffersSubcommandsAndOptions() {
        String script = Cli.run("completion").out();

        assertThat(script)
                .contains("redis-to-pgmq", "pgmq-to-redis")
                .contains("--dry-run", "--config")
                .contains("complete -F");
    }

    @Test
    void bashAcceptsTheScript(@TempDir Path dir) throws IOException, InterruptedException {
        Path script = dir.resolve("celery-pgmq.bash");
        Files.writeString(script, Cli.run("completion").out(), StandardCharsets.UTF_8);

        Process bash = new ProcessBuilder("bash", "-n", script.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(bash.exitValue()).as("bash -n says: %s", output).isZero();
    }

    @Test
    void sourcingTheScriptRegistersTheCompletion(@TempDir Path dir) throws IOException, InterruptedException {
        Path script = dir.resolve("celery-pgmq.bash");
        Files.writeString(script, Cli.run("completion").out(), StandardCharsets.UTF_8);

        Process bash = new ProcessBuilder(
                        "bash", "-c", "source \"$1\" && complete -p celery-pgmq", "bash", script.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(bash.exitValue()).as("bash says: %s", output).isZero();
        assertThat(output).contains("celery-pgmq");
    }

    @Test
    void helpShowsHowToLoadIt() {
        String usage =
                CeleryPgmq.commandLine().getSubcommands().get("completion").getUsageMessage();

        assertThat(usage).contains("source <(celery-pgmq completion)").contains("Exit codes");
    }
}
