package io.celerypgmq.bridge.daemon;

import java.time.Clock;

/** A process whose only pump runs out of memory on its first pass, with the daemon's real fatal handler. */
public final class FatalExitProbe {
    private FatalExitProbe() {}

    public static void main(String[] args) throws InterruptedException {
        PumpLoop loop = new PumpLoop(
                "forward",
                () -> {
                    throw new OutOfMemoryError("Java heap space (probe)");
                },
                10,
                PumpMetrics.NONE,
                Clock.systemUTC(),
                PumpLoop.Fatal.EXIT);
        Thread t = new Thread(loop, "bridge-forward");
        t.start();
        Thread.sleep(60_000); // the process must end long before this
        System.exit(0);
    }
}
