package io.celerypgmq.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/** Builds Celery 5.2 protocol-2 envelopes (and unacked values) the way kombu writes them, without our encoder. */
final class Envelopes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Envelopes() {}

    /** A message as a builder: fill in what a test cares about, then {@link Msg#bytes()}. */
    static Msg task(String name, Object... args) {
        return new Msg(name, args);
    }

    static final class Msg {
        final String name;
        final Object[] args;
        String id = UUID.randomUUID().toString();
        String tag = UUID.randomUUID().toString();
        String queue = "celery";
        String eta;
        int priority;

        Msg(String name, Object[] args) {
            this.name = name;
            this.args = args;
        }

        Msg id(String value) {
            id = value;
            return this;
        }

        Msg queue(String value) {
            queue = value;
            return this;
        }

        Msg eta(String value) {
            eta = value;
            return this;
        }

        Msg priority(int value) {
            priority = value;
            return this;
        }

        ObjectNode envelope() {
            ArrayNode body = JSON.createArrayNode();
            body.add(JSON.valueToTree(args));
            body.addObject();
            ObjectNode embed = body.addObject();
            embed.putNull("callbacks");
            embed.putNull("errbacks");
            embed.putNull("chain");
            embed.putNull("chord");
            ObjectNode env = JSON.createObjectNode();
            try {
                env.put("body", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(body)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
            h.put("root_id", id);
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
            p.put("priority", priority);
            p.put("body_encoding", "base64");
            p.put("delivery_tag", tag);
            return env;
        }

        byte[] bytes() {
            return write(envelope());
        }

        /** The {@code unacked} hash value kombu writes on delivery: {@code [envelope, exchange, routing_key]}. */
        byte[] unackedValue() {
            ArrayNode a = JSON.createArrayNode();
            a.add(envelope());
            a.add("");
            a.add(queue);
            return write(a);
        }
    }

    static String tagOf(byte[] raw) {
        try {
            JsonNode n = JSON.readTree(raw);
            return (n.isArray() ? n.get(0) : n)
                    .path("properties")
                    .path("delivery_tag")
                    .asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
