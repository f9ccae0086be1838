package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.config.SettingsReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** README's configuration reference is generated: this keeps it in step with the settings the code reads. */
class ReadmeReferenceTest {
    private static final String START = "<!-- config-reference:start -->\n";
    private static final String END = "<!-- config-reference:end -->";

    @Test
    void theReadmeReferenceIsWhatConfigDocsPrints() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int from = readme.indexOf(START);
        int to = readme.indexOf(END);
        assertThat(from).as("README.md has the config-reference markers").isNotNegative();
        String embedded = readme.substring(from + START.length(), to);
        assertThat(embedded)
                .as("README.md is out of date: paste the output of `celery-pgmq config docs` between the markers")
                .isEqualTo(SettingsReference.markdown(SettingsCatalog.all()));
        assertThat(Cli.run("config", "docs").out()).isEqualTo(embedded);
    }
}
