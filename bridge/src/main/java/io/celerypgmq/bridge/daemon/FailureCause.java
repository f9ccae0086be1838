package io.celerypgmq.bridge.daemon;

import io.celerypgmq.bridge.ledger.LedgerException;
import io.celerypgmq.bridge.store.SqlFailure;
import io.celerypgmq.bridge.store.StoreUnavailableException;
import io.celerypgmq.config.MaskedThrowable;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Says why a pass failed in the words {@code /ready} uses: a store that cannot be reached, or a batch that keeps
 * failing with the stores up. The text names the exception's own message only, cut to one line (the daemon's
 * exceptions carry no message body: see {@link SqlFailure}).
 */
final class FailureCause {
    private static final int MAX_CHARS = 300;

    private FailureCause() {}

    static String describe(Throwable e) {
        return (storeUnreachable(e) ? "a store is unreachable: " : "a batch keeps failing: ") + oneLine(e);
    }

    static boolean storeUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StoreUnavailableException
                    || t instanceof JedisConnectionException
                    || t instanceof ConnectException
                    || t instanceof SocketTimeoutException) {
                return true;
            }
            if (t instanceof LedgerException l && l.kind() == SqlFailure.Kind.STORE) {
                return true;
            }
            if (t instanceof SQLException s && SqlFailure.kind(s) == SqlFailure.Kind.STORE) {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(Throwable e) {
        String text = MaskedThrowable.of(e).toString();
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS));
        for (int i = 0; i < text.length() && out.length() < MAX_CHARS; i++) {
            char ch = text.charAt(i);
            out.append(Character.isISOControl(ch) ? ' ' : ch);
        }
        return out.toString();
    }
}
