package io.structflow.examples.support;

import java.util.ArrayList;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Fits the {@link SharedOptions} mixed into a command to what the command takes
 * ({@link TakesSharedOptions}): removes the options it does not take, sets the defaults it
 * declares and writes them into each option's help line.
 */
public final class SharedOptionsFit implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec command) {
        SharedOptionUse use = ((TakesSharedOptions) command.userObject()).sharedOptionUse();
        for (OptionSpec option : new ArrayList<>(command.options())) {
            String name = option.longestName();
            if (!SharedOptions.NAMES.contains(name)) {
                continue;
            }
            command.remove(option);
            if (use.takes(name)) {
                command.addOption(option.toBuilder().defaultValue(use.defaultValue(name))
                        .description(description(option, use, name)).build());
            }
        }
        return command;
    }

    private static String description(OptionSpec option, SharedOptionUse use, String name) {
        String text = use.description(name) != null ? use.description(name) : option.description()[0]
                + (name.equals(SharedOptions.SEED) && use.takes(SharedOptions.RUNS) ? "; run r uses seed + r" : "");
        String defaults = switch (name) {
            case SharedOptions.RUNS -> use.runs().describe();
            case SharedOptions.EPOCHS -> use.epochs().describe();
            case SharedOptions.OUT -> "out/${COMMAND-NAME}" + (use.takes(SharedOptions.QUICK) ? "; out/${COMMAND-NAME}-quick with --quick" : "");
            case SharedOptions.FULL, SharedOptions.QUICK, SharedOptions.DEBUG -> null;
            default -> "${DEFAULT-VALUE}";
        };
        return defaults == null ? text : text + " (default " + defaults + ")";
    }
}
