package io.celerypgmq.bridge.pump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.config.ConfigException;
import io.celerypgmq.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeSettingsTest {
    @TempDir
    Path dir;

    private BridgeSettings load(String yaml) throws Exception {
        return BridgeSettings.from(
                ConfigSource.load(Files.writeString(dir.resolve("c.yml"), yaml), Map.of(), Map.of()));
    }

    @Test
    void theExampleConfigurationsOfTheRepositoryLoad() throws Exception {
        Path config = Path.of("..", "config");
        for (String name : List.of("celery-pgmq.yml", "sidecar.yml", "rollback.yml")) {
            ConfigSource source = ConfigSource.load(config.resolve(name), Map.of(), Map.of());
            BridgeSettings settings = BridgeSettings.from(source);
            assertThat(settings.forward().size() + settings.reverse().size())
                    .as(name)
                    .isPositive();
            PayloadTemplates.from(source);
        }
    }

    @Test
    void aReverseSourceFromAnOlderConfigWithAVisibilityTimeoutStillLoads() throws Exception {
        BridgeSettings s = load("bridge:\n  reverse:\n    - pgmq-queue: user_tasks\n      celery-queue: celery\n"
                + "      visibility-timeout: 60\n");
        assertThat(s.reverse()).containsExactly(new ReverseSource("user_tasks", "celery"));
    }

    @Test
    void forwardSourcesPrioritySettingsAndEscapesAreRead() throws Exception {
        BridgeSettings s = load("bridge:\n  priority-steps: \"0,1,2,3,4,5,6,7,8,9\"\n  priority-separator: \":\"\n"
                + "  forward:\n    - source: celery\n      celery-target: celery_workers\n");
        assertThat(s.prioritySteps()).hasSize(10);
        assertThat(s.prioritySeparator()).isEqualTo(":");
        assertThat(s.forward()).containsExactly(new ForwardSource("celery", "celery_workers"));
        assertThat(load("bridge: {}\n").prioritySeparator()).isEqualTo("\u0006\u0016");
    }

    @Test
    void aBridgeThatWouldCompeteWithItsWorkersIsRefused() {
        assertThatThrownBy(() -> load("bridge:\n  forward:\n    - source: celery\n      celery-target: celery\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bridge.forward")
                .hasMessageContaining("compete");
    }

    @Test
    void badPriorityStepsNameTheirKey() {
        assertThatThrownBy(() -> load("bridge:\n  priority-steps: \"3,0\"\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bridge.priority-steps");
    }
}
