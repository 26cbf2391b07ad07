package io.structflow.examples.support;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Which of the {@link SharedOptions} a command takes, with its defaults and, where the generic
 * text is not enough, its own description of an option. Options not named here are removed from
 * the command (see {@link SharedOptionsFit}); {@code --out} and {@code --debug} are always taken.
 */
public final class SharedOptionUse {
    /** The options taken besides --out and --debug, each with its picocli default (null: none, or one by protocol). */
    private final Map<String, String> taken = new LinkedHashMap<>();
    private final Map<String, String> descriptions = new LinkedHashMap<>();
    private ByProtocol runs;
    private ByProtocol epochs;

    /** Takes {@code --out} and {@code --debug}, which every command takes; add the others with the methods below. */
    public static SharedOptionUse outAndDebug() {
        return new SharedOptionUse();
    }

    /** Takes {@code --seed} with this default. */
    public SharedOptionUse seed(long seed) {
        taken.put(SharedOptions.SEED, String.valueOf(seed));
        return this;
    }

    /** Takes {@code --runs} with these defaults. */
    public SharedOptionUse runs(ByProtocol runs) {
        this.runs = runs;
        taken.put(SharedOptions.RUNS, null);
        return this;
    }

    /** Takes {@code --epochs} with these defaults. */
    public SharedOptionUse epochs(ByProtocol epochs) {
        this.epochs = epochs;
        taken.put(SharedOptions.EPOCHS, null);
        return this;
    }

    /** Takes {@code --dtype} with this default. */
    public SharedOptionUse dtype(DataType type) {
        taken.put(SharedOptions.DTYPE, SharedOptions.dtypeName(type));
        return this;
    }

    /** Takes {@code --quick}, described as {@code description}. */
    public SharedOptionUse quick(String description) {
        taken.put(SharedOptions.QUICK, null);
        descriptions.put(SharedOptions.QUICK, description);
        return this;
    }

    /** Takes {@code --full}, described as {@code description}. */
    public SharedOptionUse full(String description) {
        taken.put(SharedOptions.FULL, null);
        descriptions.put(SharedOptions.FULL, description);
        return this;
    }

    /** Describes {@code option} for this command instead of the generic text. */
    public SharedOptionUse describe(String option, String description) {
        descriptions.put(option, description);
        return this;
    }

    /** Whether the command takes {@code option}. */
    public boolean takes(String option) {
        return taken.containsKey(option) || option.equals(SharedOptions.OUT) || option.equals(SharedOptions.DEBUG);
    }

    /** The picocli default value of {@code option}, or null when it has none (or depends on the protocol). */
    public String defaultValue(String option) {
        return taken.get(option);
    }

    /** The command's own description of {@code option}, or null for the generic one. */
    public String description(String option) {
        return descriptions.get(option);
    }

    /** The defaults of {@code --runs}; null when the command does not take it. */
    public ByProtocol runs() {
        return runs;
    }

    /** The defaults of {@code --epochs}; null when the command does not take it. */
    public ByProtocol epochs() {
        return epochs;
    }
}
