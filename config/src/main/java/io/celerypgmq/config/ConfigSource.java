package io.celerypgmq.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where setting values come from, in order of precedence: command-line flags, environment variables, the YAML file,
 * then each setting's default. Immutable; modules read their own settings through {@link #get(Setting)}.
 */
public final class ConfigSource {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNode file;
    private final String fileName;
    private final Map<String, String> env;
    private final Map<String, String> flags;

    private ConfigSource(JsonNode file, String fileName, Map<String, String> env, Map<String, String> flags) {
        this.file = file;
        this.fileName = fileName;
        this.env = Map.copyOf(env);
        this.flags = Map.copyOf(flags);
    }

    /** No file: only flags, environment and defaults. */
    public static ConfigSource of(Map<String, String> env, Map<String, String> flags) {
        return new ConfigSource(MissingNode.getInstance(), null, env, flags);
    }

    /** Reads {@code file} (YAML); a missing or malformed file is a {@link ConfigException}. */
    public static ConfigSource load(Path file, Map<String, String> env, Map<String, String> flags) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("--config", "no such file: " + file);
        }
        try {
            JsonNode tree = YAML.readTree(file.toFile());
            if (tree != null && !tree.isMissingNode() && !tree.isNull() && !tree.isObject()) {
                throw new ConfigException("--config", file + " must hold a YAML mapping at the top level");
            }
            return new ConfigSource(tree == null ? MissingNode.getInstance() : tree, file.toString(), env, flags);
        } catch (IOException e) {
            throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The value of {@code setting} from the highest-precedence place that has one, or its default. */
    public <T> T get(Setting<T> setting) {
        return find(setting)
                .orElseThrow(() -> new ConfigException(
                        setting.key(),
                        "is required; set it in the config file"
                                + setting.env().map(v -> ", with " + v).orElse("")));
    }

    /** Like {@link #get(Setting)} but empty when the setting has no value anywhere and no default. */
    public <T> Optional<T> find(Setting<T> setting) {
        String flag = flags.get(setting.key());
        if (flag != null) {
            return Optional.of(setting.parse(flag, "the command line"));
        }
        if (setting.envVar() != null) {
            String fromEnv = env.get(setting.envVar());
            if (fromEnv != null && !fromEnv.isBlank()) {
                return Optional.of(setting.parse(fromEnv, "environment variable " + setting.envVar()));
            }
        }
        JsonNode node = node(setting.key());
        if (!node.isMissingNode() && !node.isNull()) {
            if (node.isContainerNode()) {
                throw new ConfigException(
                        setting.key(), "expected a single value in " + fileName + ", found " + node.getNodeType());
            }
            return Optional.of(setting.parse(node.asText(), fileName));
        }
        return Optional.ofNullable(setting.defaultText()).map(d -> setting.parse(d, "default"));
    }

    /** The raw YAML subtree at a dotted path, for structured sections such as route lists; missing if absent. */
    public JsonNode node(String dottedKey) {
        JsonNode current = file;
        for (String part : dottedKey.split("\\.")) {
            current = current.path(part);
        }
        return current;
    }

    /** Name of the file the values came from, or empty when there is none. */
    public Optional<String> fileName() {
        return Optional.ofNullable(fileName);
    }

    /** The YAML mapper used for the file, shared so sections bind nested structures the same way. */
    public static ObjectMapper yaml() {
        return YAML;
    }
}
