package io.celerypgmq.bridge.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.Compression;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.testkit.celery.CallSpec;
import io.celerypgmq.testkit.celery.PublishedCall;
import io.celerypgmq.testkit.celery.Signature;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.assertj.core.api.SoftAssertions;

/**
 * Checks a message the decoder read from Redis against what real Celery was asked to publish: the intention, not
 * hard-coded values. Times Celery computes at publish time (countdown, {@code expires=<seconds>}) must fall inside
 * the producer's clock window.
 */
final class PublishedExpectations {
    private final PriorityKeys keys;
    private final int protocol;

    PublishedExpectations(PriorityKeys keys, int protocol) {
        this.keys = keys;
        this.protocol = protocol;
    }

    /** The {@code memberIndex}-th message of {@code published} (0 for a task or chain), found in {@code key}. */
    void check(PublishedCall published, int memberIndex, CeleryMessage message, String key) {
        CallSpec call = published.call();
        Signature intended = intendedSignature(call, memberIndex);
        Map<String, Object> options = call.options();
        String queue = (String) options.getOrDefault("queue", "celery");
        Integer priority = options.get("priority") == null ? null : ((Number) options.get("priority")).intValue();
        SoftAssertions soft = new SoftAssertions();

        soft.assertThat(key).as("list the message is in").isEqualTo(keys.keyFor(queue, priority));
        soft.assertThat(message.protocol()).as("protocol").isEqualTo(protocol);
        soft.assertThat(message.task()).as("task").isEqualTo(intended.task());
        soft.assertThat(CeleryJsonForm.ofJson(message.args()))
                .as("args")
                .isEqualTo(CeleryJsonForm.ofIntended(intended.args()));
        soft.assertThat(CeleryJsonForm.ofJson(message.kwargs()))
                .as("kwargs")
                .isEqualTo(CeleryJsonForm.ofIntended(intended.kwargs()));
        soft.assertThat(message.routingKey()).as("delivery_info.routing_key").isEqualTo(queue);
        soft.assertThat(message.priority()).as("properties.priority").isEqualTo(priority == null ? 0 : priority);
        soft.assertThat(message.contentType()).as("content type").isEqualTo(contentType(options.get("serializer")));
        soft.assertThat(message.compression()).as("compression").isEqualTo(compression(options.get("compression")));
        checkTimes(soft, published, message);
        soft.assertThat(CeleryJsonForm.ofJson(message.customHeaders()))
                .as("custom headers")
                .isEqualTo(CeleryJsonForm.ofIntended(options.getOrDefault("headers", Map.of())));
        if (!(protocol == 1 && call.kind() == CallSpec.Kind.CHAIN)) {
            checkSignatures(soft, "callbacks", message.callbacks(), options.get("link"));
        }
        checkSignatures(soft, "errbacks", message.errbacks(), options.get("link_error"));
        if (options.containsKey("task_id")) {
            soft.assertThat(message.id()).as("custom task id").isEqualTo(options.get("task_id"));
        }
        soft.assertThat(message.retries())
                .as("retries")
                .isEqualTo(((Number) options.getOrDefault("retries", 0)).intValue());
        if (options.containsKey("time_limit")) {
            soft.assertThat(CeleryJsonForm.ofIntended(message.timelimit().hard()))
                    .as("hard time limit")
                    .isEqualTo(CeleryJsonForm.ofIntended(options.get("time_limit")));
            soft.assertThat(CeleryJsonForm.ofIntended(message.timelimit().soft()))
                    .as("soft time limit")
                    .isEqualTo(CeleryJsonForm.ofIntended(options.get("soft_time_limit")));
        }
        if (options.containsKey("shadow")) {
            soft.assertThat(message.shadow()).as("shadow").isEqualTo(options.get("shadow"));
        }
        checkCanvas(soft, published, memberIndex, message);
        soft.assertAll();
    }

    private static Signature intendedSignature(CallSpec call, int memberIndex) {
        return switch (call.kind()) {
            case TASK -> call.task();
            case CHAIN -> call.members().get(0);
            case GROUP, CHORD -> call.members().get(memberIndex);
        };
    }

    private void checkCanvas(SoftAssertions soft, PublishedCall published, int memberIndex, CeleryMessage message) {
        CallSpec call = published.call();
        switch (call.kind()) {
            case TASK -> soft.assertThat(message.group()).as("group").isNull();
            case CHAIN -> {
                List<Signature> rest = call.members().subList(1, call.members().size());
                // Celery stores the remaining steps last-first; protocol 1 has no chain field but nested links.
                if (protocol == 2) {
                    JsonNode chain = message.chain();
                    soft.assertThat(chain).as("embed.chain").isNotNull();
                    if (chain != null) {
                        soft.assertThat(chain.size()).as("chain length").isEqualTo(rest.size());
                        for (int i = 0; i < rest.size() && i < chain.size(); i++) {
                            checkSignature(soft, "chain[" + i + "]", chain.get(i), rest.get(rest.size() - 1 - i));
                        }
                    }
                } else {
                    JsonNode next = message.callbacks();
                    soft.assertThat(next).as("protocol 1 chain as callbacks").isNotNull();
                    if (next != null) {
                        checkSignature(soft, "callbacks[0]", next.get(0), rest.get(0));
                    }
                }
            }
            case GROUP, CHORD -> {
                soft.assertThat(message.group()).as("group id").isEqualTo(published.groupId());
                if (call.kind() == CallSpec.Kind.CHORD) {
                    checkSignature(soft, "embed.chord", message.chord(), call.body());
                    if (protocol == 2) {
                        soft.assertThat(message.groupIndex()).as("group_index").isEqualTo(memberIndex);
                    }
                }
            }
        }
    }

    private void checkTimes(SoftAssertions soft, PublishedCall published, CeleryMessage message) {
        Map<String, Object> options = published.call().options();
        Object countdown = options.get("countdown");
        Object eta = options.get("eta");
        if (countdown != null) {
            long micros = Math.round(((Number) countdown).doubleValue() * 1_000_000);
            soft.assertThat(message.etaTime().map(OffsetDateTime::toInstant))
                    .as("eta from countdown")
                    .hasValueSatisfying(t -> assertThat(t)
                            .isBetween(
                                    plusMicros(published.publishedAfter(), micros),
                                    plusMicros(published.publishedBefore(), micros)));
        } else if (eta != null) {
            soft.assertThat(message.etaTime().map(OffsetDateTime::toInstant))
                    .as("eta")
                    .contains(OffsetDateTime.parse((String) eta).toInstant());
        } else {
            soft.assertThat(message.eta()).as("eta").isNull();
        }
        Object expires = options.get("expires");
        if (expires instanceof Number seconds) {
            long micros = Math.round(seconds.doubleValue() * 1_000_000);
            soft.assertThat(message.expiresTime().map(OffsetDateTime::toInstant))
                    .as("expires from seconds")
                    .hasValueSatisfying(t -> assertThat(t)
                            .isBetween(
                                    plusMicros(published.publishedAfter(), micros),
                                    plusMicros(published.publishedBefore(), micros)));
            soft.assertThat(message.expiration()).as("properties.expiration").isNotNull();
        } else if (expires instanceof String iso) {
            soft.assertThat(message.expiresTime().map(OffsetDateTime::toInstant))
                    .as("expires")
                    .contains(OffsetDateTime.parse(iso).toInstant());
        } else {
            soft.assertThat(message.expires()).as("expires").isNull();
        }
    }

    private static Instant plusMicros(Instant instant, long micros) {
        // Celery writes microseconds; allow for the producer's float clock rounding either way.
        return instant.plusNanos(micros * 1000);
    }

    private static void checkSignatures(SoftAssertions soft, String what, JsonNode actual, Object intended) {
        if (intended == null) {
            soft.assertThat(actual == null || actual.isEmpty())
                    .as(what + " absent")
                    .isTrue();
            return;
        }
        @SuppressWarnings("unchecked")
        List<Signature> signatures = (List<Signature>) intended;
        soft.assertThat(actual).as(what).isNotNull();
        if (actual != null) {
            soft.assertThat(actual.size()).as(what + " count").isEqualTo(signatures.size());
            for (int i = 0; i < signatures.size() && i < actual.size(); i++) {
                checkSignature(soft, what + "[" + i + "]", actual.get(i), signatures.get(i));
            }
        }
    }

    private static void checkSignature(SoftAssertions soft, String what, JsonNode actual, Signature intended) {
        soft.assertThat(actual).as(what).isNotNull();
        if (actual == null) {
            return;
        }
        soft.assertThat(actual.path("task").asText()).as(what + ".task").isEqualTo(intended.task());
        soft.assertThat(CeleryJsonForm.ofJson(actual.get("args")))
                .as(what + ".args")
                .isEqualTo(CeleryJsonForm.ofIntended(intended.args()));
        soft.assertThat(CeleryJsonForm.ofJson(actual.get("kwargs")))
                .as(what + ".kwargs")
                .isEqualTo(CeleryJsonForm.ofIntended(intended.kwargs()));
        soft.assertThat(actual.path("immutable").asBoolean())
                .as(what + ".immutable")
                .isEqualTo(intended.immutable());
    }

    private static String contentType(Object serializer) {
        return switch (Objects.requireNonNullElse((String) serializer, "json")) {
            case "json" -> "application/json";
            case "pickle" -> "application/x-python-serialize";
            case "msgpack" -> "application/x-msgpack";
            case "yaml" -> "application/x-yaml";
            default -> throw new IllegalArgumentException("unknown serializer " + serializer);
        };
    }

    private static String compression(Object alias) {
        return alias == null
                ? null
                : Compression.forHeader((String) alias).orElseThrow().mimeType();
    }
}
