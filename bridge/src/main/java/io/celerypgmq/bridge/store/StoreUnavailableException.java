package io.celerypgmq.bridge.store;

import io.celerypgmq.config.Secrets;

/**
 * Redis or Postgres cannot be reached or refuses us. Carries the store, its masked address and the cause; the CLI
 * turns it into exit code 3 and the daemon into a retry with backoff.
 */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String store;

    public StoreUnavailableException(String store, String maskedAddress, String secret, Throwable cause) {
        super(store + " at " + maskedAddress + " is unavailable: " + Secrets.scrub(rootMessage(cause), secret), cause);
        this.store = store;
    }

    public String store() {
        return store;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
