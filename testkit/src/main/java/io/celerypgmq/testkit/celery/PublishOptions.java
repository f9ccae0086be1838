package io.celerypgmq.testkit.celery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the producer's Celery app is configured: task protocol, broker transport options, whether a (Redis, same
 * database) result backend is set (chords need one), any further Celery settings, and the broker when it is not the
 * Redis the driver records in (a {@code pgmq://} URL for kombu's pgmq transport).
 */
public record PublishOptions(
        int taskProtocol,
        TransportOptions transport,
        boolean resultBackend,
        Map<String, Object> settings,
        String brokerUrl) {

    public PublishOptions(
            int taskProtocol, TransportOptions transport, boolean resultBackend, Map<String, Object> settings) {
        this(taskProtocol, transport, resultBackend, settings, null);
    }

    public PublishOptions {
        if (taskProtocol != 1 && taskProtocol != 2) {
            throw new IllegalArgumentException("task_protocol is 1 or 2, was " + taskProtocol);
        }
        Objects.requireNonNull(transport, "transport");
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    public static PublishOptions defaults() {
        return new PublishOptions(2, TransportOptions.defaults(), true, Map.of());
    }

    public PublishOptions withTaskProtocol(int protocol) {
        return new PublishOptions(protocol, transport, resultBackend, settings, brokerUrl);
    }

    public PublishOptions withTransport(TransportOptions options) {
        return new PublishOptions(taskProtocol, options, resultBackend, settings, brokerUrl);
    }

    /** Publishes through this broker (e.g. {@code pgmq://postgres@127.0.0.1:5432/db}) instead of the Redis. */
    public PublishOptions withBroker(String url) {
        return new PublishOptions(taskProtocol, transport, resultBackend, settings, url);
    }

    /** The broker for the Python side; its URL travels in the environment, never on a command line. */
    Map<String, String> brokerEnv() {
        return brokerUrl == null ? Map.of() : Map.of("CPT_BROKER", brokerUrl);
    }

    /** Any other Celery setting, e.g. {@code task_default_priority}; values are typed-JSON values. */
    public PublishOptions withSetting(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(settings);
        copy.put(name, value);
        return new PublishOptions(taskProtocol, transport, resultBackend, copy, brokerUrl);
    }

    ObjectNode toConfigJson() {
        ObjectNode node = (ObjectNode) TypedJson.encode(settings);
        node.put("task_protocol", taskProtocol);
        node.put("result_backend", resultBackend);
        node.set("broker_transport_options", transport.toJson());
        return node;
    }
}
