package io.celerypgmq.bridge.pgmq;

import java.time.Instant;

/**
 * {@code pgmq.metrics(queue)}. Ages are {@code null} for an empty queue.
 *
 * @param totalMessages every message ever sent to the queue (its identity sequence)
 * @param queueVisibleLength {@code null} where pgmq does not report it (older than 1.5)
 * @param defaultPartitionLength {@code null} unless pgmq 1.13+ reports it for a partitioned queue
 */
public record QueueMetrics(
        String queueName,
        long queueLength,
        Integer newestMsgAgeSec,
        Integer oldestMsgAgeSec,
        long totalMessages,
        Instant scrapeTime,
        Long queueVisibleLength,
        Long defaultPartitionLength) {}
