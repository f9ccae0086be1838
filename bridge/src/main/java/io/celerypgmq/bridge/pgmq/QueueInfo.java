package io.celerypgmq.bridge.pgmq;

import java.time.Instant;

/** One row of {@code pgmq.list_queues()}; {@code queueName} is as stored in {@code pgmq.meta} (case kept). */
public record QueueInfo(String queueName, boolean partitioned, boolean unlogged, Instant createdAt) {}
