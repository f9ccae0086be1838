package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.pump.BridgeSettings;
import io.celerypgmq.config.ConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What MIGRATION_GUIDE.md and README.md show holds for the files and behaviour they describe. */
class GuideAgreesWithConfigTest {
    private static final Pattern BRIDGE_RUN =
            Pattern.compile("\\$ celery-pgmq bridge --config (config/[\\w.-]+\\.yml)");
    private static final Pattern SERVING =
            Pattern.compile("serving (?:/metrics|/ and /api/state)\\S*.*?(?::| port )(\\d+)");

    @Test
    void everyBridgeTranscriptServesOnThePortItsConfigFileSets() throws IOException {
        String guide = Files.readString(Path.of("..", "MIGRATION_GUIDE.md"));
        Matcher run = BRIDGE_RUN.matcher(guide);
        int runs = 0;
        while (run.find()) {
            runs++;
            String block = guide.substring(run.end(), guide.indexOf("```", run.end()));
            int port = ConfigSource.load(Path.of("..", run.group(1)), Map.of(), Map.of())
                    .get(BridgeSettings.HTTP_PORT);
            Matcher serving = SERVING.matcher(block);
            int lines = 0;
            while (serving.find()) {
                lines++;
                assertThat(Integer.parseInt(serving.group(1)))
                        .as("%s transcript: %s", run.group(1), serving.group())
                        .isEqualTo(port);
            }
            assertThat(lines)
                    .as("%s transcript shows where it serves", run.group(1))
                    .isPositive();
        }
        assertThat(runs).isGreaterThanOrEqualTo(2);
    }

    @Test
    void whereANewcomerSeesUnackedEntriesListedUnderAQueueItSaysWhy() throws IOException {
        String why = "listed under the queue it was taken from[^.]*because[^.]*kombu[^.]*(puts|pushes) it back";
        String readme = Files.readString(Path.of("..", "README.md"));
        String inspectRow = readme.lines()
                .filter(l -> l.startsWith("| `celery-pgmq inspect"))
                .findFirst()
                .orElseThrow();
        assertThat(inspectRow).containsPattern(why);

        String guide = Files.readString(Path.of("..", "MIGRATION_GUIDE.md"));
        int listed = guide.indexOf(" (unacked) ");
        assertThat(listed).as("the guide shows inspect listing unacked entries").isPositive();
        int transcriptEnd = guide.indexOf("```", listed);
        String nextParagraph = guide.substring(transcriptEnd, guide.indexOf("\n\n", transcriptEnd + 4))
                .replaceAll("\\s+", " ");
        assertThat(nextParagraph).containsPattern(why);
    }
}
