package io.celerypgmq.testkit.celery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a real worker is started: the queues it consumes ({@code -Q}), broker transport options, a result backend in
 * the broker database (needed for chords), further Celery settings, and how long it may take to become ready.
 */
public record WorkerOptions(
        List<String> queues,
        TransportOptions transport,
        boolean resultBackend,
        Map<String, Object> settings,
        Duration startTimeout,
        String brokerUrl) {

    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

    public WorkerOptions {
        queues = List.copyOf(queues);
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("a worker needs at least one queue");
        }
        Objects.requireNonNull(transport, "transport");
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        Objects.requireNonNull(startTimeout, "startTimeout");
    }

    public WorkerOptions(
            List<String> queues,
            TransportOptions transport,
            boolean resultBackend,
            Map<String, Object> settings,
            Duration startTimeout) {
        this(queues, transport, resultBackend, settings, startTimeout, null);
    }

    public static WorkerOptions defaults() {
        return new WorkerOptions(List.of("celery"), TransportOptions.defaults(), true, Map.of(), DEFAULT_START_TIMEOUT);
    }

    public WorkerOptions withQueues(String... names) {
        return new WorkerOptions(List.of(names), transport, resultBackend, settings, startTimeout, brokerUrl);
    }

    public WorkerOptions withTransport(TransportOptions options) {
        return new WorkerOptions(queues, options, resultBackend, settings, startTimeout, brokerUrl);
    }

    public WorkerOptions withSetting(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(settings);
        copy.put(name, value);
        return new WorkerOptions(queues, transport, resultBackend, copy, startTimeout, brokerUrl);
    }

    /** Consumes from this broker (e.g. {@code pgmq://postgres@127.0.0.1:5432/db}) instead of the Redis. */
    public WorkerOptions withBroker(String url) {
        return new WorkerOptions(queues, transport, resultBackend, settings, startTimeout, url);
    }

    /** The broker for the Python side; its URL travels in the environment, never on a command line. */
    Map<String, String> brokerEnv() {
        return brokerUrl == null ? Map.of() : Map.of("CPT_BROKER", brokerUrl);
    }

    ObjectNode toConfigJson() {
        ObjectNode node = (ObjectNode) TypedJson.encode(settings);
        node.put("result_backend", resultBackend);
        node.set("broker_transport_options", transport.toJson());
        return node;
    }

    ObjectNode toWorkerJson(String hostname) {
        ObjectNode node = TypedJson.MAPPER.createObjectNode();
        queues.forEach(node.putArray("queues")::add);
        node.put("hostname", hostname);
        return node;
    }
}
