package io.celerypgmq.config;

import java.util.Comparator;
import java.util.List;

/**
 * Renders the configuration reference (name, environment variable, default, description) as a Markdown table. A
 * setting without a default shows "(required)" only when it says so; an optional one shows "(not set)".
 */
public final class SettingsReference {
    private SettingsReference() {}

    public static String markdown(List<Setting<?>> settings) {
        StringBuilder out = new StringBuilder("| setting | environment | default | description |\n|---|---|---|---|\n");
        settings.stream().sorted(Comparator.comparing(Setting::key)).forEach(s -> out.append("| `")
                .append(s.key())
                .append("` | ")
                .append(s.env().map(v -> "`" + v + "`").orElse(""))
                .append(" | ")
                .append(defaultColumn(s))
                .append(" | ")
                .append(s.description().replace("|", "\\|"))
                .append(" |\n"));
        return out.toString();
    }

    private static String defaultColumn(Setting<?> s) {
        if (s.defaultText() != null) {
            // A default is written in the code, so it holds no password; masking it would hide its user.
            return "`" + (s.secret() ? Secrets.MASK : s.defaultText()) + "`";
        }
        return s.required() ? "(required)" : "(not set)";
    }
}
