package io.structflow.examples;

import io.structflow.core.Backend;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code structflow} command line: one sub-command per experiment of [CMOSS] and [M-slides].
 * Run {@code java -jar examples/target/structflow.jar --help}.
 */
@Command(name = "structflow", mixinStandardHelpOptions = true, version = "structflow 0.1.0",
        description = "Structure-preserving neural networks: the experiments of Celledoni et al. (2023) and Murari's lectures.",
        subcommands = {DemoCommand.class, PlanarCommand.class, RobustCommand.class, ApproximateCommand.class, VectorFieldCommand.class, DenoiseCommand.class, DeblurCommand.class, SirCommand.class, PendulumCommand.class, OscillatorCommand.class})
public final class StructflowCli implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Entry point; exits with the sub-command's status. */
    public static void main(String[] args) {
        Backend.init();
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with its error handling: bad input (an {@link IllegalArgumentException}, or a
     * missing file or directory) is reported as one line naming the sub-command and the message,
     * which names the option, what was expected and what came; anything else keeps its stack trace.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new StructflowCli());
        cli.setExecutionExceptionHandler((ex, command, parsed) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.FileNotFoundException
                    || ex instanceof java.nio.file.NoSuchFileException) {
                command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
                command.getErr().flush();
                return 2;
            }
            throw ex;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
