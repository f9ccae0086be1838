package io.celerypgmq.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.EncodeTarget;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.JedisPooled;

/**
 * Celery protocol-2 messages of {@code tasks.record} written by celery-pgmq's own encoder, for tests about who drives
 * a rollout rather than about Celery itself (faster than a Python producer).
 */
final class EncodedTraffic implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CeleryCodec CODEC = CeleryCodec.withDefaults();

    final List<String> ids = Collections.synchronizedList(new ArrayList<>());
    private final JedisPooled redis;
    private final Thread thread;
    private volatile boolean running = true;

    EncodedTraffic(JedisPooled redis, int perSecond) {
        this.redis = redis;
        this.thread = new Thread(() -> loop(perSecond), "test-producer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop(int perSecond) {
        while (running) {
            for (int i = 0; i < perSecond / 10; i++) {
                String id = UUID.randomUUID().toString();
                CeleryMessage m = CeleryMessage.builder()
                        .protocol(2)
                        .task(CeleryTraffic.TASK)
                        .id(id)
                        .rootId(id)
                        .args(JSON.createArrayNode().add(id))
                        .kwargs(JSON.createObjectNode())
                        .build();
                redis.lpush(
                        RolloutRig.SOURCE.getBytes(StandardCharsets.UTF_8),
                        CODEC.encode(m, EncodeTarget.of(RolloutRig.SOURCE)));
                ids.add(id);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
