package io.celerypgmq.verifier.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * Reads task states from Celery's Redis result backend: the JSON document under {@code celery-task-meta-<task id>}
 * (Celery's default result serializer). Missing keys are reported as absent, never guessed: tasks with
 * {@code ignore_result}, or results past {@code result_expires}, have none.
 */
public final class CeleryResults implements ResultBackend {
    public static final String DEFAULT_KEY_PREFIX = "celery-task-meta-";
    private static final int CHUNK = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnifiedJedis redis;
    private final String keyPrefix;
    private final String description;

    /** @param description where {@code redis} points, passwords masked */
    public CeleryResults(UnifiedJedis redis, String keyPrefix, String description) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.description = description;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Map<String, CeleryState> states(List<String> taskIds) {
        Map<String, CeleryState> out = new HashMap<>();
        for (int from = 0; from < taskIds.size(); from += CHUNK) {
            List<String> ids = taskIds.subList(from, Math.min(taskIds.size(), from + CHUNK));
            List<String> keys = new ArrayList<>(ids.size());
            ids.forEach(id -> keys.add(keyPrefix + id));
            List<String> docs = redis.mget(keys.toArray(String[]::new));
            for (int i = 0; i < ids.size(); i++) {
                if (docs.get(i) != null) {
                    out.put(ids.get(i), parse(docs.get(i)));
                }
            }
        }
        return out;
    }

    static CeleryState parse(String doc) {
        try {
            JsonNode node = JSON.readTree(doc);
            JsonNode status = node == null ? null : node.get("status");
            return status == null || !status.isTextual() ? CeleryState.UNREADABLE : CeleryState.parse(status.asText());
        } catch (IOException e) {
            return CeleryState.UNREADABLE;
        }
    }
}
