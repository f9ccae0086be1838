package io.celerypgmq.bridge.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.UndecodableMessageException.Reason;
import io.celerypgmq.bridge.codec.internal.BodyException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Maps an envelope and its decoded body onto {@link CeleryMessage}, deciding the protocol the way a 5.2 worker does:
 * {@code headers.task} present means protocol 2 with body {@code [args, kwargs, embed]}; otherwise the body must be a
 * protocol 1 dict with {@code task}. Fields a worker can do without are optional here too; fields it parses (eta,
 * expires, retries, timelimit) must parse.
 */
final class MessageReader {
    static final Set<String> V2_HEADERS = Set.of(
            "lang",
            "task",
            "id",
            "shadow",
            "eta",
            "expires",
            "group",
            "group_index",
            "retries",
            "timelimit",
            "root_id",
            "parent_id",
            "argsrepr",
            "kwargsrepr",
            "origin",
            "ignore_result",
            "compression",
            "stamped_headers",
            "stamps",
            "replaced_task_nesting");

    private MessageReader() {}

    static CeleryMessage read(KombuEnvelope envelope, JsonNode body, int bodyBytes, String sourceKey) {
        if (envelope.headersMalformed()) {
            throw new BodyException(Reason.BAD_FIELD_TYPE, "headers is not a JSON object");
        }
        ObjectNode headers = envelope.headersView();
        CeleryMessage.Builder b =
                CeleryMessage.builder().sourceKey(sourceKey).source(envelope).bodyBytes(bodyBytes);
        if (headers.has("task")) {
            readV2(headers, body, b);
        } else {
            readV1(headers, body, b);
        }
        b.correlationId(envelope.correlationId().orElse(null))
                .replyTo(envelope.replyTo().orElse(null))
                .deliveryMode(envelope.deliveryMode().orElse(null))
                .deliveryInfo(envelope.deliveryInfo().orElse(null))
                .deliveryTag(envelope.deliveryTag().orElse(null))
                .priority(envelope.priority().orElse(null))
                .expiration(envelope.expiration().orElse(null))
                .contentType(envelope.contentType().orElse(null))
                .contentEncoding(envelope.contentEncoding().orElse(null))
                .compression(KombuEnvelope.text(headers, "compression").orElse(null));
        return b.build();
    }

    private static void readV2(ObjectNode headers, JsonNode body, CeleryMessage.Builder b) {
        if (!body.isArray() || body.size() != 3) {
            throw new BodyException(
                    Reason.BAD_BODY_SHAPE,
                    "protocol 2 body must be [args, kwargs, embed], got "
                            + (body.isArray()
                                    ? "a list of " + body.size() + " elements"
                                    : "a JSON " + body.getNodeType()));
        }
        JsonNode embed = body.get(2);
        if (!embed.isNull() && !embed.isObject()) {
            throw new BodyException(Reason.BAD_BODY_SHAPE, "embed (third body element) must be a dict or null");
        }
        b.protocol(2)
                .task(required(headers, "task"))
                .id(required(headers, "id"))
                .args(args(body.get(0)))
                .kwargs(kwargs(body.get(1)))
                .callbacks(embed.path("callbacks"))
                .errbacks(embed.path("errbacks"))
                .chain(embed.path("chain"))
                .chord(embed.path("chord"))
                .eta(time(headers, "eta", "ETA"))
                .expires(time(headers, "expires", "expires"))
                .retries(retries(headers.get("retries")))
                .rootId(text(headers, "root_id"))
                .parentId(text(headers, "parent_id"))
                .group(text(headers, "group"))
                .groupIndex(integer(headers, "group_index"))
                .timelimit(timelimit(headers.get("timelimit")))
                .shadow(text(headers, "shadow"))
                .origin(text(headers, "origin"))
                .argsrepr(text(headers, "argsrepr"))
                .kwargsrepr(text(headers, "kwargsrepr"))
                .ignoreResult(headers.path("ignore_result").asBoolean(false))
                .stamps(headers.get("stamps"))
                .stampedHeaders(headers.get("stamped_headers"))
                .replacedTaskNesting(integer(headers, "replaced_task_nesting"))
                .customHeaders(custom(headers, V2_HEADERS));
    }

    private static void readV1(ObjectNode headers, JsonNode body, CeleryMessage.Builder b) {
        if (!body.isObject() || !body.has("task")) {
            throw new BodyException(
                    Reason.BAD_BODY_SHAPE,
                    "no headers.task and the body is not a protocol 1 task dict; a worker deletes it as an unknown"
                            + " message");
        }
        JsonNode group = body.has("taskset") ? body.get("taskset") : body.get("group");
        b.protocol(1)
                .task(required(body, "task"))
                .id(required(body, "id"))
                .args(body.has("args") ? args(body.get("args")) : null)
                .kwargs(body.has("kwargs") ? kwargs(body.get("kwargs")) : null)
                .callbacks(body.path("callbacks"))
                .errbacks(body.path("errbacks"))
                .chord(body.path("chord"))
                .eta(time(body, "eta", "ETA"))
                .expires(time(body, "expires", "expires"))
                .retries(retries(body.get("retries")))
                .group(group == null || group.isNull() ? null : group.asText())
                .groupIndex(integer(body, "group_index"))
                .timelimit(timelimit(body.get("timelimit")))
                .customHeaders(custom(headers, Set.of("compression")));
    }

    private static String required(JsonNode parent, String field) {
        String value = text(parent, field);
        if (value == null || value.isBlank()) {
            throw new BodyException(Reason.MISSING_FIELD, field + " is missing; a 5.2 worker cannot run the task");
        }
        return value;
    }

    private static String text(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isContainerNode()) {
            throw new BodyException(Reason.BAD_HEADER_VALUE, field + " must be a string, got " + node);
        }
        return node.asText();
    }

    private static Integer integer(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        throw new BodyException(Reason.BAD_HEADER_VALUE, field + " must be an integer, got " + node);
    }

    private static int retries(JsonNode node) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        throw new BodyException(Reason.BAD_HEADER_VALUE, "retries must be an integer, got " + node);
    }

    private static String time(JsonNode parent, String field, String label) {
        JsonNode node = parent.get(field);
        if (node == null
                || node.isNull()
                || (node.isTextual() && node.textValue().isEmpty())) {
            return null;
        }
        if (!node.isTextual()) {
            throw new BodyException(
                    Reason.BAD_HEADER_VALUE, "invalid " + label + " value " + node + ": expected an ISO 8601 string");
        }
        try {
            CeleryTime.parse(node.textValue());
        } catch (CeleryTime.InvalidTimeException e) {
            throw new BodyException(
                    Reason.BAD_HEADER_VALUE,
                    "invalid " + label + " value '" + node.textValue() + "': " + e.getMessage());
        }
        return node.textValue();
    }

    private static TimeLimit timelimit(JsonNode node) {
        if (node == null || node.isNull()) {
            return TimeLimit.NONE;
        }
        if (!node.isArray() || node.size() != 2) {
            throw new BodyException(Reason.BAD_HEADER_VALUE, "timelimit must be [hard, soft], got " + node);
        }
        return TimeLimit.of(limit(node.get(0)), limit(node.get(1)));
    }

    private static Number limit(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToInt()
                    ? Integer.valueOf(node.intValue())
                    : node.canConvertToLong() ? Long.valueOf(node.longValue()) : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        throw new BodyException(Reason.BAD_HEADER_VALUE, "time limit must be a number, got " + node);
    }

    private static ArrayNode args(JsonNode node) {
        if (!node.isArray()) {
            throw new BodyException(Reason.BAD_BODY_SHAPE, "args must be a list, got a JSON " + node.getNodeType());
        }
        return (ArrayNode) node;
    }

    private static ObjectNode kwargs(JsonNode node) {
        if (!node.isObject()) {
            throw new BodyException(
                    Reason.BAD_BODY_SHAPE,
                    "kwargs must be a mapping, got a JSON " + node.getNodeType()
                            + "; a 5.2 worker drops such a task without a result");
        }
        return (ObjectNode) node;
    }

    private static ObjectNode custom(ObjectNode headers, Set<String> known) {
        ObjectNode custom = headers.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!known.contains(field.getKey())) {
                custom.set(field.getKey(), field.getValue());
            }
        }
        return custom;
    }
}
