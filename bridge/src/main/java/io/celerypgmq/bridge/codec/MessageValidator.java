package io.celerypgmq.bridge.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.UndecodableMessageException.Reason;
import io.celerypgmq.bridge.codec.ValidationProblem.Kind;
import io.celerypgmq.bridge.codec.internal.BodyException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last gate before anything is pushed to Redis: checks raw envelope bytes against what CELERY-WIRE.md §10–11
 * shows a Celery 5.2 worker needs, and lists every problem at once. A message that fails here could make every
 * worker exit in a loop, or be silently dropped.
 */
public final class MessageValidator {
    /** What a naive eta (no UTC offset) is: a worker reads it in its own local timezone. */
    public enum NaiveEtaPolicy {
        WARN,
        REJECT
    }

    /** Problems make the message unsafe; warnings are worth logging but do not block it. */
    public record Report(List<ValidationProblem> problems, List<ValidationProblem> warnings) {
        public Report {
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final NaiveEtaPolicy naiveEta;
    private final BodyReader bodies;

    public MessageValidator(NaiveEtaPolicy naiveEta, CodecOptions options) {
        this.naiveEta = naiveEta;
        this.bodies = new BodyReader(options);
    }

    /** Rejects naive etas; default codec limits. */
    public static MessageValidator strict() {
        return new MessageValidator(NaiveEtaPolicy.REJECT, CodecOptions.defaults());
    }

    public void validate(byte[] raw) {
        Report report = check(raw);
        if (!report.ok()) {
            throw new ValidationException(report.problems());
        }
    }

    /** As {@link #validate(byte[])}, for bytes already parsed as an envelope (not parsed a second time). */
    public void validate(KombuEnvelope envelope) {
        Report report = check(envelope);
        if (!report.ok()) {
            throw new ValidationException(report.problems());
        }
    }

    /** Validates each message and that no two share a delivery tag (kombu's unacked hash would keep only one). */
    public void validateBatch(List<byte[]> batch) {
        List<ValidationProblem> problems = new ArrayList<>();
        Map<String, Integer> tags = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byte[] raw = batch.get(i);
            for (ValidationProblem p : check(raw).problems()) {
                problems.add(p.at(i));
            }
            try {
                String tag = KombuEnvelope.parse(raw, null).deliveryTag().orElse(null);
                Integer first = tag == null ? null : tags.putIfAbsent(tag, i);
                if (first != null) {
                    problems.add(
                            new ValidationProblem(Kind.DUPLICATE_DELIVERY_TAG, tag + " is also used by #" + first, i));
                }
            } catch (UndecodableMessageException e) {
                // already reported by check()
            }
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
    }

    public Report check(byte[] raw) {
        KombuEnvelope envelope;
        try {
            envelope = KombuEnvelope.parse(raw, null);
        } catch (UndecodableMessageException e) {
            Kind kind = e.reason() == Reason.ENVELOPE_NOT_OBJECT ? Kind.ENVELOPE_NOT_OBJECT : Kind.ENVELOPE_NOT_JSON;
            return new Report(List.of(new ValidationProblem(kind, e.detail(), -1)), List.of());
        }
        return check(envelope);
    }

    /** As {@link #check(byte[])}, for bytes already parsed as an envelope. */
    public Report check(KombuEnvelope envelope) {
        List<ValidationProblem> problems = new ArrayList<>();
        List<ValidationProblem> warnings = new ArrayList<>();
        checkProperties(envelope, problems);
        if (envelope.contentType().isEmpty()) {
            problems.add(problem(Kind.MISSING_CONTENT_TYPE, "a worker reads the body as raw bytes and exits"));
        }
        String encoding = envelope.bodyEncoding().orElse(null);
        if (!"base64".equals(encoding)) {
            problems.add(problem(
                    Kind.BODY_ENCODING_NOT_BASE64, "body_encoding is " + encoding + "; kombu 5.2 knows only base64"));
        }
        JsonNode body = null;
        if (envelope.contentType().isPresent()) {
            try {
                body = bodies.read(envelope).value();
            } catch (BodyException e) {
                problems.add(problem(kindOf(e.reason()), e.getMessage()));
            } catch (RuntimeException e) {
                problems.add(problem(Kind.UNDECODABLE_BODY, String.valueOf(e.getMessage())));
            }
        } else if (envelope.body().filter(JsonNode::isTextual).isEmpty()) {
            problems.add(problem(Kind.MISSING_BODY, "body is missing or not a string"));
        }
        ObjectNode headers = envelope.headersView();
        if (headers.hasNonNull("task")) {
            checkV2(headers, body, problems, warnings);
        } else if (body != null && body.isObject() && body.hasNonNull("task")) {
            checkV1(body, problems, warnings);
        } else {
            problems.add(problem(Kind.MISSING_TASK, "no headers.task and no protocol 1 body; dropped as unknown"));
        }
        return new Report(problems, warnings);
    }

    private static void checkProperties(KombuEnvelope envelope, List<ValidationProblem> problems) {
        JsonNode props = envelope.view().get("properties");
        if (props == null || !props.isObject()) {
            problems.add(problem(Kind.MISSING_PROPERTIES, "a worker exits with KeyError('properties')"));
            return;
        }
        if (envelope.deliveryTag().isEmpty()) {
            problems.add(problem(Kind.MISSING_DELIVERY_TAG, "a worker exits with KeyError('delivery_tag')"));
        }
        JsonNode info = props.get("delivery_info");
        if (info == null || !info.isObject()) {
            problems.add(problem(Kind.MISSING_DELIVERY_INFO, "a worker exits with KeyError('exchange')"));
            return;
        }
        if (!info.has("exchange") || info.get("exchange").isNull()) {
            problems.add(problem(Kind.MISSING_EXCHANGE, "a worker exits with KeyError('exchange')"));
        }
        if (!info.hasNonNull("routing_key") || info.get("routing_key").asText().isEmpty()) {
            problems.add(problem(Kind.MISSING_ROUTING_KEY, "a worker exits with KeyError('routing_key')"));
        }
    }

    private void checkV2(
            ObjectNode headers, JsonNode body, List<ValidationProblem> problems, List<ValidationProblem> warnings) {
        if (headers.get("task").asText().isBlank()) {
            problems.add(problem(Kind.MISSING_TASK, "headers.task is blank"));
        }
        if (!headers.hasNonNull("id") || headers.get("id").asText().isBlank()) {
            problems.add(problem(Kind.MISSING_ID, "a worker exits with KeyError('id') and the message crash-loops"));
        }
        if (body != null) {
            if (!body.isArray() || body.size() != 3) {
                problems.add(
                        problem(Kind.BODY_NOT_THREE_ELEMENTS, "a worker exits: body must be [args, kwargs, embed]"));
            } else {
                checkArgs(body.get(0), body.get(1), problems);
                if (!body.get(2).isNull() && !body.get(2).isObject()) {
                    problems.add(problem(
                            Kind.EMBED_NOT_MAPPING, "embed is a " + body.get(2).getNodeType()));
                }
            }
        }
        checkTimes(headers, problems, warnings);
    }

    private void checkV1(JsonNode body, List<ValidationProblem> problems, List<ValidationProblem> warnings) {
        if (!body.hasNonNull("id") || body.get("id").asText().isBlank()) {
            problems.add(problem(Kind.MISSING_ID, "protocol 1 body has no id"));
        }
        checkArgs(
                body.path("args").isMissingNode()
                        ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode()
                        : body.get("args"),
                body.path("kwargs").isMissingNode()
                        ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                        : body.get("kwargs"),
                problems);
        checkTimes(body, problems, warnings);
    }

    private static void checkArgs(JsonNode args, JsonNode kwargs, List<ValidationProblem> problems) {
        if (!args.isArray()) {
            problems.add(problem(Kind.ARGS_NOT_LIST, "args is a " + args.getNodeType()));
        }
        if (!kwargs.isObject()) {
            problems.add(problem(
                    Kind.KWARGS_NOT_MAPPING,
                    "kwargs is a " + kwargs.getNodeType() + "; a worker drops the task without a result"));
        }
    }

    private void checkTimes(JsonNode fields, List<ValidationProblem> problems, List<ValidationProblem> warnings) {
        checkTime(fields.get("eta"), Kind.BAD_ETA, "eta", problems, warnings);
        checkTime(fields.get("expires"), Kind.BAD_EXPIRES, "expires", problems, null);
        JsonNode retries = fields.get("retries");
        if (retries != null && !retries.isNull() && !retries.isIntegralNumber()) {
            problems.add(problem(Kind.BAD_HEADER, "retries is " + retries));
        }
    }

    private void checkTime(
            JsonNode node, Kind kind, String name, List<ValidationProblem> problems, List<ValidationProblem> warnings) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isTextual()) {
            problems.add(problem(kind, name + " " + node + " is not an ISO 8601 string; the task is rejected"));
            return;
        }
        try {
            CeleryTime time = CeleryTime.parse(node.textValue());
            if (warnings != null && time.isNaive()) {
                ValidationProblem naive = problem(
                        Kind.NAIVE_ETA,
                        name + " " + node.textValue() + " has no offset; a worker reads it in its local zone");
                (naiveEta == NaiveEtaPolicy.REJECT ? problems : warnings).add(naive);
            }
        } catch (CeleryTime.InvalidTimeException e) {
            problems.add(problem(kind, name + ": " + e.getMessage() + "; the task is rejected"));
        }
    }

    private static Kind kindOf(Reason reason) {
        return switch (reason) {
            case BAD_BASE64 -> Kind.BAD_BASE64;
            case MISSING_FIELD, BAD_FIELD_TYPE -> Kind.MISSING_BODY;
            case UNKNOWN_CONTENT_TYPE -> Kind.UNKNOWN_CONTENT_TYPE;
            case UNKNOWN_BODY_ENCODING -> Kind.BODY_ENCODING_NOT_BASE64;
            default -> Kind.UNDECODABLE_BODY;
        };
    }

    private static ValidationProblem problem(Kind kind, String detail) {
        return new ValidationProblem(kind, detail, -1);
    }
}
