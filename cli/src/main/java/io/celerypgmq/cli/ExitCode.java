package io.celerypgmq.cli;

/** The process exit codes every command uses, documented in {@code --help} and the README. */
public final class ExitCode {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** A verification ran and at least one criterion failed (usable as a CI or cutover gate). */
    public static final int VERIFICATION_FAILED = 1;
    /** The command line or the configuration is wrong. */
    public static final int USAGE = 2;
    /** A store (Redis, Postgres) cannot be reached or used, so nothing was done. */
    public static final int CANNOT_START = 3;
    /** An unexpected failure; the message and log say where. */
    public static final int CRASHED = 4;

    static final String FOOTER = "%nExit codes: 0 ok, 1 verification failed, 2 usage or configuration error,"
            + " 3 cannot start (Redis/Postgres unreachable), 4 crashed.";

    private ExitCode() {}
}
