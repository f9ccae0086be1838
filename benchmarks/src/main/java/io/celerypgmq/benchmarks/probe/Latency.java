package io.celerypgmq.benchmarks.probe;

/**
 * Added latency of the inline hop at a fixed rate, in milliseconds: from just before the producer's LPUSH to the
 * moment an independent reader saw the row in pgmq ({@code visible*}), and to the moment the pump had committed and
 * finished the batch ({@code handedOff*}, the bridge's own view).
 */
public record Latency(
        int ratePerSecond,
        int seconds,
        int idleWaitMillis,
        int batchSize,
        int measured,
        int missing,
        double visibleP50,
        double visibleP90,
        double visibleP99,
        double visibleMax,
        double handedOffP50,
        double handedOffP99,
        double observerPollMillis,
        double achievedRate) {}
