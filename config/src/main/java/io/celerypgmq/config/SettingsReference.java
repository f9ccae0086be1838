package io.celerypgmq.config;

import java.util.Comparator;
import java.util.List;

/** Renders the configuration reference (name, environment variable, default, description) as a Markdown table. */
public final class SettingsReference {
    private SettingsReference() {}

    public static String markdown(List<Setting<?>> settings) {
        StringBuilder out = new StringBuilder("| setting | environment | default | description |\n|---|---|---|---|\n");
        settings.stream().sorted(Comparator.comparing(Setting::key)).forEach(s -> out.append("| `")
                .append(s.key())
                .append("` | ")
                .append(s.env().map(v -> "`" + v + "`").orElse(""))
                .append(" | ")
                .append(s.defaultText() == null ? "(required)" : "`" + Secrets.mask(s.defaultText()) + "`")
                .append(" | ")
                .append(s.description().replace("|", "\\|"))
                .append(" |\n"));
        return out.toString();
    }
}
