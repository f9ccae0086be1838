package io.celerypgmq.config;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One configuration setting: its dotted key in the YAML file, what it means, its default, the environment variable
 * that overrides it (if any), and how its text is parsed and checked. The reference documentation is generated from
 * these, so name, description and default stay side by side.
 *
 * @param key dotted path in the YAML file, e.g. {@code redis.url}
 * @param description one sentence for the reference
 * @param defaultText the default as text, or {@code null} when the setting has no default
 * @param envVar environment variable that overrides the file, or {@code null}
 * @param secret whether the value must be masked wherever it is shown
 * @param required whether a setting without a default must be given; one that is not may stay unset
 * @param parser turns text into the typed value; throws {@link IllegalArgumentException} with the reason
 */
public record Setting<T>(
        String key,
        String description,
        String defaultText,
        String envVar,
        boolean secret,
        boolean required,
        Function<String, T> parser) {

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parser, "parser");
        if (required && defaultText != null) {
            throw new IllegalArgumentException(key + ": a setting with a default cannot be required");
        }
    }

    /** An optional setting: without a default it may stay unset ({@link ConfigSource#find}). */
    public Setting(
            String key,
            String description,
            String defaultText,
            String envVar,
            boolean secret,
            Function<String, T> parser) {
        this(key, description, defaultText, envVar, secret, false, parser);
    }

    public static Setting<String> text(String key, String description, String defaultText) {
        return new Setting<>(key, description, defaultText, null, false, Function.identity());
    }

    public static Setting<Integer> integer(String key, String description, int defaultValue, int min, int max) {
        return new Setting<>(key, description, Integer.toString(defaultValue), null, false, text -> {
            int value;
            try {
                value = Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an integer");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return value;
        });
    }

    public static Setting<Boolean> flag(String key, String description, boolean defaultValue) {
        return new Setting<>(key, description, Boolean.toString(defaultValue), null, false, text -> switch (text.trim()
                .toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        });
    }

    public Setting<T> withEnv(String variable) {
        return new Setting<>(key, description, defaultText, variable, secret, required, parser);
    }

    public Setting<T> asSecret() {
        return new Setting<>(key, description, defaultText, envVar, true, required, parser);
    }

    /** A setting without a default that the tool cannot do without; the reference marks it "(required)". */
    public Setting<T> asRequired() {
        return new Setting<>(key, description, defaultText, envVar, secret, true, parser);
    }

    /**
     * Refuses a value with a line break or another control character before parsing it: for names that end up in log
     * lines, where a newline would start a forged line.
     */
    public Setting<T> singleLine() {
        return new Setting<>(key, description, defaultText, envVar, secret, required, text -> {
            OneLine.require(text);
            return parser.apply(text);
        });
    }

    public Optional<String> env() {
        return Optional.ofNullable(envVar);
    }

    /** Parses {@code text}, turning a parse failure into a {@link ConfigException} naming this key. */
    public T parse(String text, String origin) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            String shown = secret ? Secrets.MASK : OneLine.escape(Secrets.maskValue(text));
            throw new ConfigException(key, "bad value '" + shown + "' from " + origin + ": " + e.getMessage(), e);
        }
    }
}
