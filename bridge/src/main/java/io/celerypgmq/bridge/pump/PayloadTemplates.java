package io.celerypgmq.bridge.pump;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.config.ConfigException;
import io.celerypgmq.config.ConfigSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code bridge.templates} (task name → payload shape) from the configuration. */
public final class PayloadTemplates {
    public static final String KEY = "bridge.templates";

    private PayloadTemplates() {}

    public static Map<String, PayloadTemplate> from(ConfigSource source) {
        JsonNode node = source.node(KEY);
        Map<String, PayloadTemplate> out = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new ConfigException(KEY, "expected a mapping of task name to payload shape");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isObject()) {
                throw new ConfigException(KEY + "." + e.getKey(), "expected a JSON object shape");
            }
            try {
                out.put(e.getKey(), new PayloadTemplate(e.getKey(), (ObjectNode) e.getValue()));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(KEY + "." + e.getKey(), ex.getMessage());
            }
        }
        return out;
    }
}
