package io.celerypgmq.cli;

import io.celerypgmq.bridge.pgmq.InvalidQueueNameException;
import io.celerypgmq.config.ConfigException;
import io.celerypgmq.config.MaskedThrowable;
import io.celerypgmq.config.OneLine;
import io.celerypgmq.config.Secrets;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code celery-pgmq} command: a thin main that maps every outcome to a documented exit code. */
@Command(
        name = "celery-pgmq",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Version.class,
        description = "Run beside Celery while moving background jobs from Celery + Redis to PGMQ:"
                + " inspect, bridge, verify, replay, roll out, roll back.",
        footer = ExitCode.FOOTER,
        subcommands = {
            DemoCommand.class,
            BridgeCommand.class,
            RouteCommand.class,
            PgmqCommand.class,
            ConfigCommand.class,
            InspectCommand.class,
            DoctorCommand.class,
            VerifyCommand.class,
            ReplayCommand.class,
            RolloutCommand.class,
            StatusCommand.class,
            QuarantineCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class CeleryPgmq implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CeleryPgmq.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // The JDK's HTTP server writes a response in two segments once it outgrows a buffer; with Nagle's algorithm
        // and the client's delayed ACK every such /api/state (or /metrics) then waits 40 ms. Read once, when the first
        // server starts, so it is set before any command runs.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new CeleryPgmq());
        cmd.setExitCodeExceptionMapper(CeleryPgmq::exitCodeOf);
        cmd.setExecutionExceptionHandler(CeleryPgmq::report);
        cmd.getCommandSpec().exitCodeOnInvalidInput(ExitCode.USAGE);
        cmd.getCommandSpec().exitCodeOnExecutionException(ExitCode.CRASHED);
        return cmd;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static int exitCodeOf(Throwable error) {
        if (error instanceof ConfigException
                || error instanceof CommandLine.ParameterException
                || error instanceof InvalidQueueNameException) {
            return ExitCode.USAGE;
        }
        if (error instanceof CannotStartException) {
            return ExitCode.CANNOT_START;
        }
        return ExitCode.CRASHED;
    }

    private static int report(Exception error, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        int code = exitCodeOf(error);
        switch (code) {
            case ExitCode.USAGE -> err.println((error instanceof ConfigException
                            ? "celery-pgmq: configuration error: "
                            : "celery-pgmq: usage error: ")
                    + shown(error.getMessage()));
            case ExitCode.CANNOT_START -> err.println("celery-pgmq: cannot start: " + shown(error.getMessage()));
            default -> {
                err.println("celery-pgmq: crashed: " + shown(String.valueOf(error)));
                LOG.error("command failed", MaskedThrowable.of(error));
            }
        }
        err.flush();
        return code;
    }

    /** Masked and kept to one line: an error message may quote a URL or a name read from anywhere. */
    private static String shown(String message) {
        return OneLine.escape(Secrets.mask(message));
    }
}
