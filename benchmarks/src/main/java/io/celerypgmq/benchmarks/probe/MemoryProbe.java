package io.celerypgmq.benchmarks.probe;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak heap (sum of the heap pools' peaks since the last reset) and the process's peak RSS (VmHWM). */
public final class MemoryProbe {
    private MemoryProbe() {}

    /** Forgets the peaks so far: heap pools always, VmHWM where the kernel lets us ({@code clear_refs} 5). */
    public static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // an older kernel or a sandbox: VmHWM stays the process-lifetime peak
        }
    }

    /** Sum of the heap pools' peak usage since the last reset, in MB. */
    public static double peakHeapMb() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return mb(bytes);
    }

    /** Heap in use right now, in MB. */
    public static double usedHeapMb() {
        return mb(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    /** The process's peak resident set ({@code VmHWM}), in MB; {@code null} off Linux. */
    public static Double peakRssMb() {
        return statusField("VmHWM:");
    }

    /** The process's resident set now ({@code VmRSS}), in MB. */
    public static Double rssMb() {
        return statusField("VmRSS:");
    }

    private static Double statusField(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    String kb = line.substring(name.length()).trim().split("\\s+")[0];
                    return Math.round(Long.parseLong(kb) / 1024.0 * 10) / 10.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static double mb(long bytes) {
        return Math.round(bytes / 1024.0 / 1024.0 * 10) / 10.0;
    }
}
