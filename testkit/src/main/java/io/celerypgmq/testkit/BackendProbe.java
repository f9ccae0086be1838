package io.celerypgmq.testkit;

/** Connects to, or starts, one kind of backend. */
@FunctionalInterface
interface BackendProbe<T> {

    /**
     * Returns a usable server. Throws {@link Unavailable} when this kind does not apply here (nothing configured,
     * nothing listening); any other exception means the kind applied but failed.
     */
    T open() throws Exception;

    /** This kind of backend does not exist here; the message says why. Not an error by itself. */
    final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String reason) {
            super(reason);
        }
    }
}
