package io.celerypgmq.rollout;

import io.celerypgmq.config.RedisUrl;
import io.celerypgmq.testkit.celery.CallSpec;
import io.celerypgmq.testkit.celery.PublishOptions;
import io.celerypgmq.testkit.celery.PublishedCall;
import io.celerypgmq.testkit.celery.RealCelery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Real Celery producing while a rollout runs: batches of {@code tasks.record} (the task type rolled out) and one
 * {@code tasks.echo} (a bystander that stays on Celery), published by a real Celery producer into {@code celery}.
 */
final class CeleryTraffic implements AutoCloseable {
    static final String TASK = "tasks.record";
    static final String BYSTANDER = "tasks.echo";

    private final RealCelery celery;
    private final RedisUrl broker;
    private final int perBatch;
    private final List<PublishedCall> published = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;
    private int sequence;

    CeleryTraffic(RealCelery celery, RedisUrl broker, int perBatch) {
        this.celery = celery;
        this.broker = broker;
        this.perBatch = perBatch;
        this.thread = new Thread(this::loop, "test-celery-producer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop() {
        while (running) {
            try {
                List<CallSpec> calls = new ArrayList<>();
                for (int i = 0; i < perBatch; i++) {
                    calls.add(CallSpec.task(TASK, ++sequence, "user" + sequence + "@example.com"));
                }
                calls.add(CallSpec.task(BYSTANDER, ++sequence));
                published.addAll(celery.publish(broker, calls, PublishOptions.defaults()));
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                failure = e;
                return;
            }
        }
    }

    /** Stops after the batch under way; returns the ids of every message published, by task name. */
    List<String> stop(String task) throws InterruptedException {
        running = false;
        thread.join(60_000);
        if (failure != null) {
            throw failure;
        }
        return ids(task);
    }

    List<String> ids(String task) {
        synchronized (published) {
            return published.stream()
                    .filter(p -> p.call().task().task().equals(task))
                    .map(PublishedCall::messageId)
                    .toList();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(60_000);
    }
}
