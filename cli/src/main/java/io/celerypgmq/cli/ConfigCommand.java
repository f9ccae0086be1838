package io.celerypgmq.cli;

import io.celerypgmq.config.ConnectionSettings;
import io.celerypgmq.config.SettingsReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code config docs} prints the configuration reference; {@code config show} the effective connections. */
@Command(
        name = "config",
        description = "Configuration reference and the effective settings.",
        subcommands = {ConfigCommand.Docs.class, ConfigCommand.Show.class},
        footer = {
            "%nExamples:%n  celery-pgmq config docs%n  celery-pgmq config show --config config/celery-pgmq.yml",
            ExitCode.FOOTER
        })
final class ConfigCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "docs",
            description = "Print the configuration reference (setting, environment variable, default, description).",
            footer = {"%nExample:%n  celery-pgmq config docs > docs/configuration.md", ExitCode.FOOTER})
    static final class Docs implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(SettingsReference.markdown(SettingsCatalog.all()));
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }

    @Command(
            name = "show",
            description = "Print the effective connection settings, passwords masked.",
            footer = {
                "%nExample:%n  CELERY_PGMQ_REDIS_URL=redis://cache:6379/0 celery-pgmq config show",
                ExitCode.FOOTER
            })
    static final class Show implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        ConnectionOptions options;

        @Override
        public Integer call() {
            ConnectionSettings settings = options.connections();
            var out = spec.commandLine().getOut();
            out.println("redis.url          " + settings.redis().masked());
            out.println("database.url       " + settings.database().masked());
            out.println("database.pool-size " + settings.databasePoolSize());
            out.flush();
            return ExitCode.OK;
        }
    }
}
