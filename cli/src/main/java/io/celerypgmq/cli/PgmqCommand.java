package io.celerypgmq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.PgmqStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code pgmq status} tells which pgmq is in use; {@code pgmq install} installs the compatible schema if needed. */
@Command(
        name = "pgmq",
        description = "Which pgmq the database has (the real extension and its version, or the built-in compatible"
                + " schema), and installing the compatible schema where the extension is not available.",
        subcommands = {PgmqCommand.Status.class, PgmqCommand.Install.class},
        footer = {
            "%nExamples:%n  celery-pgmq pgmq status%n  celery-pgmq pgmq install --database-url postgresql://postgres@127.0.0.1/app",
            ExitCode.FOOTER
        })
final class PgmqCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "status",
            description = "Print which pgmq is in use; changes nothing.",
            footer = {
                "%nExample:%n  CELERY_PGMQ_DATABASE_URL=postgresql://app@db:5432/app celery-pgmq pgmq status",
                "%nPrints e.g. 'pgmq extension 1.13.1' or 'celery-pgmq compatible schema ...'; exits 1 when there is"
                        + " no pgmq at all.",
                ExitCode.FOOTER
            })
    static final class Status implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectionOptions options;

        @Override
        public Integer call() {
            try (HikariDataSource db = Stores.postgres(options.connections(), "pgmq-status")) {
                PgmqStatus status = PgmqInstaller.status(db);
                boolean absent = status.kind() == PgmqStatus.Kind.ABSENT;
                var out = spec.commandLine().getOut();
                out.println(status.describe() + (absent ? " (install it with: celery-pgmq pgmq install)" : ""));
                out.flush();
                return absent ? ExitCode.VERIFICATION_FAILED : ExitCode.OK;
            }
        }
    }

    @Command(
            name = "install",
            description = "Use the real pgmq extension when the server has it; otherwise install celery-pgmq's"
                    + " pgmq-compatible schema. Safe to run again.",
            footer = {
                "%nExample:%n  celery-pgmq pgmq install --database-url postgresql://postgres@127.0.0.1/app",
                ExitCode.FOOTER
            })
    static final class Install implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectionOptions options;

        @Override
        public Integer call() {
            try (HikariDataSource db = Stores.postgres(options.connections(), "pgmq-install")) {
                PgmqStatus status = PgmqInstaller.ensure(db);
                spec.commandLine().getOut().println(status.describe());
                spec.commandLine().getOut().flush();
                return ExitCode.OK;
            }
        }
    }
}
