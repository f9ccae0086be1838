package io.celerypgmq.benchmarks.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The machine a run happened on, and how busy it was with other work (figures are only as quiet as the box). */
public record Machine(
        int cores, Double memoryGb, String java, String os, String loadAverage, List<String> busiestOtherProcesses) {

    public static Machine now() {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                readMemoryGb(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                currentLoadAverage(),
                busiest());
    }

    public static String currentLoadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static Double readMemoryGb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return Math.round(kb / 1024.0 / 1024.0 * 10) / 10.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The five processes (other than this one) with the most CPU over their lifetime, as {@code ps} lists them. */
    private static List<String> busiest() {
        List<String> out = new ArrayList<>();
        try {
            Process ps = new ProcessBuilder("ps", "-eo", "pid,pcpu,etime,comm", "--sort=-pcpu")
                    .redirectErrorStream(true)
                    .start();
            String self = Long.toString(ProcessHandle.current().pid());
            for (String line : new String(ps.getInputStream().readAllBytes()).split("\n")) {
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("PID") || t.startsWith(self + " ")) {
                    continue;
                }
                out.add(t.replaceAll("\\s+", " "));
                if (out.size() == 5) {
                    break;
                }
            }
            ps.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            out.add("ps unavailable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }
}
