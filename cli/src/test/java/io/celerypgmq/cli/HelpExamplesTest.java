package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * The README promises that every command has {@code --help} with an example: for each command of the picocli model
 * (walked recursively, so a new command is covered the day it is added), {@code <command> --help} exits 0 and shows
 * an example invoking that very command, and the exit codes.
 */
class HelpExamplesTest {

    @Test
    void theWalkFindsEveryLevelOfCommands() {
        assertThat(commandPaths())
                .contains(
                        List.of("bridge"),
                        List.of("route", "set"),
                        List.of("verify", "watch"),
                        List.of("replay", "redis-to-pgmq"),
                        List.of("completion"))
                .doesNotContain(List.of("help"));
    }

    @TestFactory
    Stream<DynamicTest> everyCommandsHelpShowsAnExampleAndTheExitCodes() {
        return commandPaths().stream()
                .map(path -> DynamicTest.dynamicTest(
                        "celery-pgmq " + String.join(" ", path) + " --help shows an example and the exit codes",
                        () -> assertHelpHasAnExample(path)));
    }

    @Test
    void anExampleLineMayStartWithEnvironmentVariables() {
        Pattern example = exampleLine(List.of("pgmq", "status"));

        assertThat(example.matcher("  CELERY_PGMQ_DATABASE_URL=postgresql://app@db/app celery-pgmq pgmq status")
                        .find())
                .isTrue();
        assertThat(example.matcher("  ./celery-pgmq pgmq status").find()).isTrue();
        assertThat(example.matcher("  celery-pgmq pgmq install").find()).isFalse();
        assertThat(example.matcher("Usage: celery-pgmq pgmq status [-c=FILE]").find())
                .as("the usage synopsis is not an example")
                .isFalse();
    }

    @Test
    void everyCommandTheMigrationGuideShowsIsAValidCommandLine() throws IOException {
        Path guide = DockerComposeFileTest.ComposeFile.repositoryRoot().resolve("MIGRATION_GUIDE.md");
        List<String> commands = new ArrayList<>();
        Matcher inline = Pattern.compile("`((?:\\./)?celery-pgmq [^`<>]+)`").matcher(Files.readString(guide));
        while (inline.find()) {
            commands.add(inline.group(1));
        }
        boolean shellBlock = false; // in ```bash blocks every line is a command; elsewhere only "$ " prompts are
        for (String line : Files.readAllLines(guide)) {
            if (line.startsWith("```")) {
                shellBlock = line.equals("```bash");
            } else if (line.startsWith("$ celery-pgmq ") || (shellBlock && line.startsWith("celery-pgmq "))) {
                commands.add(line.replaceFirst("^\\$ ", ""));
            }
        }

        assertThat(commands)
                .hasSizeGreaterThan(30)
                .contains("celery-pgmq verify watch -c config/celery-pgmq.yml --interval 5s");
        commands.forEach(HelpExamplesTest::assertParses);
    }

    @Test
    void aMistypedCommandLineIsCaught() {
        assertThatThrownBy(() -> assertParses("celery-pgmq replay redis-to-pgmq --no-such-flag"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("--no-such-flag");
        assertThat(words("celery-pgmq route set t shadow --reason 'start shadowing' -c f.yml   # comment"))
                .containsExactly("route", "set", "t", "shadow", "--reason", "start shadowing", "-c", "f.yml");
    }

    /** Parses a documented command line with the real picocli model, without running it. */
    static void assertParses(String commandLine) {
        List<String> args = words(commandLine);
        try {
            CeleryPgmq.commandLine().parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError("documented command does not parse: " + commandLine + ": " + e.getMessage(), e);
        }
    }

    /** Shell-like words after the program name: quotes group, an unquoted # starts a comment. */
    static List<String> words(String commandLine) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : commandLine.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '#' && word == null) {
                break;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        assertThat(words.get(0)).as(commandLine).matches("(\\./)?celery-pgmq|cpgmq");
        return words.subList(1, words.size());
    }

    private static void assertHelpHasAnExample(List<String> path) {
        List<String> args = new ArrayList<>(path);
        args.add("--help");
        Cli cli = Cli.run(args.toArray(String[]::new));
        String command = "celery-pgmq " + String.join(" ", path);
        String usage = usageOf(path);

        // Softly: one run tells both whether --help works and whether the help has what it should.
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(cli.exitCode())
                .as("%s --help exit code; stderr: %s", command, cli.err())
                .isZero();
        softly.assertThat(cli.out())
                .as("%s --help prints its usage on stdout", command)
                .contains(usage);
        softly.assertThat(usage).as("%s usage", command).contains("Example").contains("Exit codes");
        softly.assertThat(exampleLine(path).matcher(usage).find())
                .as("%s usage has an example line running '%s ...':%n%s", command, command, usage)
                .isTrue();
        softly.assertAll();
    }

    private static String usageOf(List<String> path) {
        CommandLine command = CeleryPgmq.commandLine();
        for (String name : path) {
            command = command.getSubcommands().get(name);
        }
        return command.getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /** A line, indented or not, that runs the command (optionally after VAR=value assignments). */
    private static Pattern exampleLine(List<String> path) {
        String words = String.join("\\s+", path.stream().map(Pattern::quote).toList());
        return Pattern.compile("(?m)^\\s*(?:[A-Z_][A-Z0-9_]*=\\S*\\s+)*(?:\\./)?celery-pgmq\\s+" + words + "(?:\\s|$)");
    }

    private static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        walk(CeleryPgmq.commandLine(), List.of(), paths);
        return paths;
    }

    private static void walk(CommandLine command, List<String> path, List<List<String>> out) {
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            if (sub.getValue().getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
                continue;
            }
            List<String> subPath = new ArrayList<>(path);
            subPath.add(sub.getKey());
            out.add(List.copyOf(subPath));
            walk(sub.getValue(), subPath, out);
        }
    }
}
