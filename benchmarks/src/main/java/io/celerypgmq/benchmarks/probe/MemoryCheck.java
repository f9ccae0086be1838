package io.celerypgmq.benchmarks.probe;

/**
 * What the memory check found for one queue length: the forward pump moved {@code moved} of {@code messages}
 * (~1.2 KB each) inside a JVM limited to {@code maxHeapMb}, with these peaks.
 */
public record MemoryCheck(
        int messages,
        int batchSize,
        int maxHeapMb,
        long moved,
        double queueMb,
        Double peakHeapMb,
        Double peakRssMb,
        boolean ok,
        String error) {}
