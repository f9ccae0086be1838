package io.celerypgmq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.EncodeTarget;
import io.celerypgmq.config.RedisUrl;
import io.celerypgmq.testkit.celery.CallSpec;
import io.celerypgmq.testkit.celery.PublishOptions;
import io.celerypgmq.testkit.celery.PublishedCall;
import io.celerypgmq.testkit.celery.RealCelery;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.UnifiedJedis;

/**
 * Celery-format traffic for the demo, with the seeds' three task types. Real Celery publishes it when Debian's
 * python3-celery is installed; otherwise celery-pgmq's own encoder writes the same protocol-2 messages.
 */
final class DemoTraffic implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CeleryCodec CODEC = CeleryCodec.withDefaults();

    private final UnifiedJedis redis;
    private final RedisUrl url;
    private final boolean realCelery;
    private final int perSecond;
    private final AtomicLong produced = new AtomicLong();
    /** Task name → the ids of the tasks produced, for the reconciliation. */
    private final Map<String, List<String>> ids = new ConcurrentHashMap<>();

    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean paused;
    private long sequence;

    DemoTraffic(UnifiedJedis redis, RedisUrl url, int perSecond) {
        this.redis = redis;
        this.url = url;
        this.perSecond = perSecond;
        this.realCelery = RealCelery.available();
        this.thread = new Thread(this::loop, "demo-traffic");
        this.thread.setDaemon(true);
    }

    String producer() {
        return realCelery
                ? "real Celery " + RealCelery.require().celeryVersion() + " (Debian python3-celery)"
                : "celery-pgmq's protocol-2 encoder (python3-celery is not installed)";
    }

    void start() {
        thread.start();
    }

    long produced() {
        return produced.get();
    }

    void pause(boolean value) {
        paused = value;
    }

    private void loop() {
        while (running) {
            long began = System.currentTimeMillis();
            if (!paused) {
                try {
                    publish(perSecond);
                } catch (RuntimeException e) {
                    // The demo's stores are local; a failed second of traffic is simply skipped.
                }
            }
            long rest = 1000 - (System.currentTimeMillis() - began);
            if (rest > 0) {
                try {
                    Thread.sleep(rest);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Publishes {@code count} tasks now (a mix of the three task types). */
    void publish(int count) {
        if (realCelery) {
            List<CallSpec> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long n = ++sequence;
                calls.add(
                        switch ((int) (n % 3)) {
                            case 0 -> CallSpec.task("send_welcome_email", "user" + n + "@example.com", "User " + n);
                            case 1 -> CallSpec.task("generate_user_report", n);
                            default -> CallSpec.task("cleanup_inactive_users", 30);
                        });
            }
            for (PublishedCall p : RealCelery.require().publish(url, calls, PublishOptions.defaults())) {
                idsOf(p.call().task().task()).add(p.messageId());
            }
        } else {
            for (int i = 0; i < count; i++) {
                long n = ++sequence;
                ArrayNode args = JSON.createArrayNode();
                String task =
                        switch ((int) (n % 3)) {
                            case 0 -> {
                                args.add("user" + n + "@example.com").add("User " + n);
                                yield "send_welcome_email";
                            }
                            case 1 -> {
                                args.add(n);
                                yield "generate_user_report";
                            }
                            default -> {
                                args.add(30);
                                yield "cleanup_inactive_users";
                            }
                        };
                String id = UUID.randomUUID().toString();
                idsOf(task).add(id);
                CeleryMessage msg = CeleryMessage.builder()
                        .protocol(2)
                        .task(task)
                        .id(id)
                        .rootId(id)
                        .args(args)
                        .kwargs(JSON.createObjectNode())
                        .build();
                redis.lpush(
                        DemoStack.SOURCE.getBytes(StandardCharsets.UTF_8),
                        CODEC.encode(msg, EncodeTarget.of(DemoStack.SOURCE)));
            }
        }
        produced.addAndGet(count);
    }

    private List<String> idsOf(String task) {
        return ids.computeIfAbsent(task, t -> Collections.synchronizedList(new ArrayList<>()));
    }

    /** The ids of every task of {@code task} produced so far. */
    List<String> ids(String task) {
        List<String> list = idsOf(task);
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
