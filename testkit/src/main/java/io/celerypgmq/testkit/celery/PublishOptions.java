package io.celerypgmq.testkit.celery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the producer's Celery app is configured: task protocol, broker transport options, whether a (Redis, same
 * database) result backend is set (chords need one), and any further Celery settings.
 */
public record PublishOptions(
        int taskProtocol, TransportOptions transport, boolean resultBackend, Map<String, Object> settings) {

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
        return new PublishOptions(protocol, transport, resultBackend, settings);
    }

    public PublishOptions withTransport(TransportOptions options) {
        return new PublishOptions(taskProtocol, options, resultBackend, settings);
    }

    /** Any other Celery setting, e.g. {@code task_default_priority}; values are typed-JSON values. */
    public PublishOptions withSetting(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(settings);
        copy.put(name, value);
        return new PublishOptions(taskProtocol, transport, resultBackend, copy);
    }

    ObjectNode toConfigJson() {
        ObjectNode node = (ObjectNode) TypedJson.encode(settings);
        node.put("task_protocol", taskProtocol);
        node.put("result_backend", resultBackend);
        node.set("broker_transport_options", transport.toJson());
        return node;
    }
}
