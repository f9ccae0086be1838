package io.celerypgmq.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code celery-pgmq completion}: prints a bash completion script (zsh runs it through {@code bashcompinit}) generated
 * from the live command model, so it never lags behind the commands and options that exist.
 */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = "Print a bash/zsh completion script for celery-pgmq: every command, subcommand and option.",
        footer = {
            "%nExamples:",
            "  source <(celery-pgmq completion)                 # this shell only",
            "  celery-pgmq completion > /etc/bash_completion.d/celery-pgmq",
            "  autoload -U +X bashcompinit && bashcompinit && source <(celery-pgmq completion)   # zsh",
            ExitCode.FOOTER
        })
final class CompletionCommand implements Callable<Integer> {
    static final String SCRIPT_NAME = "celery-pgmq";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(script(spec.root().commandLine()));
        out.flush();
        return ExitCode.OK;
    }

    /** The completion script for {@code root}, the whole {@code celery-pgmq} command tree. */
    static String script(CommandLine root) {
        return AutoComplete.bash(SCRIPT_NAME, root);
    }
}
