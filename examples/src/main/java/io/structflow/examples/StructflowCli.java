package io.structflow.examples;

import io.structflow.core.Backend;
import io.structflow.examples.support.FileErrors;
import io.structflow.examples.support.SharedOptions;
import java.io.IOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code structflow} command line: one sub-command per experiment of [CMOSS] and [M-slides].
 * Run {@code java -jar examples/target/structflow.jar --help}.
 */
@Command(name = "structflow", mixinStandardHelpOptions = true, version = "structflow 0.1.0",
        description = "Structure-preserving neural networks: the experiments of Celledoni et al. (2023) and Murari's lectures.",
        subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, PlanarCommand.class, RobustCommand.class, CertifyCommand.class,
            ApproximateCommand.class, VectorFieldCommand.class, DenoiseCommand.class, DeblurCommand.class, SirCommand.class,
            PendulumCommand.class, OscillatorCommand.class, DeepSympNetCommand.class, ExportCommand.class})
public final class StructflowCli implements Runnable {
    /** Exit status of bad input: an option out of range, a missing or unreadable file, an unwritable output. */
    static final int BAD_INPUT = 2;
    /** Exit status of a failure that is not the input's fault. */
    static final int FAILURE = 1;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Entry point; exits with the sub-command's status. */
    public static void main(String[] args) {
        Backend.init();
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with its error handling. Bad input (an unknown option or a value picocli cannot
     * convert, an {@link IllegalArgumentException} naming the option, or an {@link IOException} such as
     * a missing file, a malformed data file or checkpoint) is reported as one line
     * {@code structflow <cmd>: <message>} with exit status 2; a usage error adds where the help is. Any
     * other failure is one line with exit status 1. {@code --debug} adds the stack trace.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new StructflowCli());
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine command = ex.getCommandLine();
            String name = command.getCommandSpec().qualifiedName();
            command.getErr().println(name + ": " + ex.getMessage() + "; see '" + name + " --help'");
            command.getErr().flush();
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, command, parsed) -> {
            boolean badInput = FileErrors.isBadInput(ex);
            boolean debug = command.getParseResult().hasMatchedOption(SharedOptions.DEBUG);
            String message = badInput ? firstLine(FileErrors.describe(ex))
                    : ex.getClass().getSimpleName() + ": " + firstLine(ex.getMessage())
                    + (debug ? "" : " (rerun with --debug for the stack trace)");
            command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + message);
            if (debug) {
                ex.printStackTrace(command.getErr());
            }
            command.getErr().flush();
            return badInput ? BAD_INPUT : FAILURE;
        });
        return cli;
    }

    /** The first line of a message (a parser's message may go on with the offending input). */
    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
