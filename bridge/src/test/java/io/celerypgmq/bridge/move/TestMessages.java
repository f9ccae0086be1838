package io.celerypgmq.bridge.move;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/** Builds Celery protocol-2 envelopes shaped like kombu 5.2 writes them, independently of our encoder. */
final class TestMessages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestMessages() {}

    static byte[] task(
            String name, String id, String rootId, String eta, Integer priority, String queue, Object... args) {
        try {
            ArrayNode body = JSON.createArrayNode();
            body.add(JSON.valueToTree(args));
            body.add(JSON.createObjectNode());
            ObjectNode embed = body.addObject();
            embed.putNull("callbacks");
            embed.putNull("errbacks");
            embed.putNull("chain");
            embed.putNull("chord");
            ObjectNode env = JSON.createObjectNode();
            env.put("body", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(body)));
            env.put("content-encoding", "utf-8");
            env.put("content-type", "application/json");
            ObjectNode h = env.putObject("headers");
            h.put("lang", "py");
            h.put("task", name);
            h.put("id", id);
            h.putNull("shadow");
            h.put("eta", eta);
            h.putNull("expires");
            h.putNull("group");
            h.putNull("group_index");
            h.put("retries", 0);
            h.putArray("timelimit").addNull().addNull();
            h.put("root_id", rootId);
            h.putNull("parent_id");
            h.put("argsrepr", "()");
            h.put("kwargsrepr", "{}");
            h.put("origin", "gen1@test");
            h.put("ignore_result", false);
            ObjectNode p = env.putObject("properties");
            p.put("correlation_id", id);
            p.put("reply_to", UUID.randomUUID().toString());
            p.put("delivery_mode", 2);
            ObjectNode di = p.putObject("delivery_info");
            di.put("exchange", "");
            di.put("routing_key", queue);
            p.put("priority", priority == null ? 0 : priority);
            p.put("body_encoding", "base64");
            p.put("delivery_tag", UUID.randomUUID().toString());
            return JSON.writeValueAsString(env).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] task(String name, Object... args) {
        String id = UUID.randomUUID().toString();
        return task(name, id, id, null, null, "celery", args);
    }

    static String deliveryTag(byte[] raw) {
        try {
            return JSON.readTree(raw).path("properties").path("delivery_tag").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code raw} with its delivery tag replaced: another message under the same identity, say. */
    static byte[] withTag(byte[] raw, String tag) {
        return edit(raw, env -> ((ObjectNode) env.get("properties")).put("delivery_tag", tag));
    }

    /** {@code raw} as kombu restores an unacked message: {@code redelivered} set in headers and delivery_info. */
    static byte[] redelivered(byte[] raw) {
        return edit(raw, env -> {
            ((ObjectNode) env.get("headers")).put("redelivered", true);
            ((ObjectNode) env.get("properties").get("delivery_info")).put("redelivered", true);
        });
    }

    private static byte[] edit(byte[] raw, java.util.function.Consumer<ObjectNode> change) {
        try {
            ObjectNode env = (ObjectNode) JSON.readTree(raw);
            change.accept(env);
            return JSON.writeValueAsString(env).getBytes(StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
