package io.celerypgmq.bridge.pump;

/** The narrow port the pumps report through; the daemon plugs in Micrometer, tests and tools use {@link #NONE}. */
public interface PumpMetrics {
    PumpMetrics NONE = new PumpMetrics() {};

    /** A batch was claimed from Redis ({@code redo}: it was left in flight by a crash). */
    default void claimed(int messages, boolean redo) {}

    /** A forward batch was committed and finished. */
    default void batchDone(BatchPlan plan, HandOff.Result result, long nanos) {}

    /** The reverse pump pushed messages back to Celery ({@code alreadyPushed}: found an idempotency marker). */
    default void reversed(int pushed, int alreadyPushed, int quarantined) {}

    /** A pass failed; the pump keeps going after backing off. */
    default void failed(String pump, Throwable error) {}
}
