package io.celerypgmq.bridge.codec;

import java.math.BigInteger;

/**
 * Celery's {@code timelimit} header: {@code [hard, soft]} in seconds, in that order (the protocol document says
 * "(soft, hard)", the code sends hard first). Each side is an Integer, Long, BigInteger or Double, so a re-encoded
 * message writes {@code 30} where Celery wrote {@code 30} and {@code 2.5} where it wrote {@code 2.5}; null means none.
 */
public record TimeLimit(Number hard, Number soft) {
    public static final TimeLimit NONE = new TimeLimit(null, null);

    public TimeLimit {
        check(hard, "hard");
        check(soft, "soft");
    }

    private static void check(Number n, String side) {
        if (n != null
                && !(n instanceof Integer || n instanceof Long || n instanceof BigInteger || n instanceof Double)) {
            throw new IllegalArgumentException(side + " time limit must be Integer, Long, BigInteger or Double, not "
                    + n.getClass().getSimpleName());
        }
    }

    public static TimeLimit of(Number hard, Number soft) {
        return hard == null && soft == null ? NONE : new TimeLimit(hard, soft);
    }

    public boolean isNone() {
        return hard == null && soft == null;
    }

    @Override
    public String toString() {
        return "[" + hard + ", " + soft + "]";
    }
}
