package io.celerypgmq.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingRulesTest {
    private static final Setting<String> NAME = Setting.text("bridge.name", "A name that goes into log lines.", "auto")
            .singleLine();

    @Test
    void aSingleLineSettingRefusesALineBreakAndSaysWhereItIs() {
        ConfigSource source = ConfigSource.of(Map.of(), Map.of("bridge.name", "b1\n12:00:00.000 INFO forged"));

        assertThatThrownBy(() -> source.get(NAME))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("bridge.name: bad value 'b1\\u000a12:00:00.000 INFO forged'")
                .hasMessageContaining("U+000A at position 3")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aSingleLineSettingRefusesOtherControlCharactersToo() {
        for (String bad : List.of("a\rb", "a\tb", "a\u001b[31mb", "a\u0085b", "a\u2028b", "a\u0000b")) {
            assertThatThrownBy(() -> ConfigSource.of(Map.of(), Map.of("bridge.name", bad))
                            .get(NAME))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("one line of printable characters");
        }
        assertThat(ConfigSource.of(Map.of(), Map.of("bridge.name", "bridge-1@host.example"))
                        .get(NAME))
                .isEqualTo("bridge-1@host.example");
    }

    @Test
    void anOptionalSettingWithoutADefaultIsNotCalledRequiredInTheReference() {
        Setting<String> optional = Setting.text("dashboard.token", "Allows route changes.", null);
        Setting<String> required =
                Setting.text("bridge.owner", "Who runs it.", null).asRequired();

        String reference = SettingsReference.markdown(List.of(optional, required));

        assertThat(reference)
                .contains("| `dashboard.token` |  | (not set) |")
                .contains("| `bridge.owner` |  | (required) |");
    }

    @Test
    void aSettingWithADefaultCannotAlsoBeRequired() {
        assertThatThrownBy(() -> Setting.text("x", "y", "z").asRequired()).hasMessageContaining("cannot be required");
    }
}
