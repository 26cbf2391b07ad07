package io.structflow.examples.support;

import java.nio.file.Path;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options the experiment commands share, declared once: {@code --seed}, {@code --runs},
 * {@code --epochs}, {@code --out}, {@code --dtype}, {@code --full}, {@code --quick} and
 * {@code --debug}. A command mixes them in, implements {@link TakesSharedOptions} to say which it
 * takes and with what defaults, and names {@link SharedOptionsFit} as its model transformer, which
 * removes the others and writes the defaults into the help.
 */
public final class SharedOptions {
    /** The names of the shared options. */
    public static final String SEED = "--seed";
    public static final String RUNS = "--runs";
    public static final String EPOCHS = "--epochs";
    public static final String OUT = "--out";
    public static final String DTYPE = "--dtype";
    public static final String FULL = "--full";
    public static final String QUICK = "--quick";
    public static final String DEBUG = "--debug";
    static final Set<String> NAMES = Set.of(SEED, RUNS, EPOCHS, OUT, DTYPE, FULL, QUICK, DEBUG);

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = SEED, description = "random seed")
    long seed;

    @Option(names = RUNS, description = "independent runs with seeds seed, seed + 1, …")
    Integer runs;

    @Option(names = EPOCHS, description = "training epochs")
    Integer epochs;

    @Option(names = OUT, description = "output directory for results.json and the figures")
    Path out;

    @Option(names = DTYPE, converter = DataTypeConverter.class, description = "float32 or float64")
    DataType dtype;

    @Option(names = FULL, description = "the paper's protocol")
    boolean full;

    @Option(names = QUICK, description = "a smoke run with the same outputs")
    boolean quick;

    @Option(names = DEBUG, description = "print the stack trace of an error")
    boolean debug;

    /** The random seed of the first run. */
    public long seed() {
        return seed;
    }

    /**
     * The number of runs: {@code --runs}, else the command's default for the chosen protocol.
     *
     * @throws IllegalArgumentException naming {@code --runs} when it is below 1
     */
    public int runs() {
        return OptionRanges.atLeast(RUNS, runs != null ? runs : use().runs().resolve(quick(), full()), 1);
    }

    /**
     * The number of epochs: {@code --epochs}, else the command's default for the chosen protocol.
     *
     * @throws IllegalArgumentException naming {@code --epochs} when it is below 1
     */
    public int epochs() {
        return OptionRanges.atLeast(EPOCHS, epochs != null ? epochs : use().epochs().resolve(quick(), full()), 1);
    }

    /** The element type of the computation. */
    public DataType dtype() {
        return dtype;
    }

    /** {@code float32} or {@code float64}, as results.json and the tables name it. */
    public static String dtypeName(DataType type) {
        return type == DataType.DOUBLE ? "float64" : "float32";
    }

    /**
     * Whether {@code --quick} was given.
     *
     * @throws IllegalArgumentException when {@code --full} was given too
     */
    public boolean quick() {
        exclusiveProtocol();
        return quick;
    }

    /**
     * Whether {@code --full} was given.
     *
     * @throws IllegalArgumentException when {@code --quick} was given too
     */
    public boolean full() {
        exclusiveProtocol();
        return full;
    }

    /** The output directory: {@code --out}, else {@code out/<command>} ({@code out/<command>-quick} with {@code --quick}). */
    public Path out() {
        return out != null ? out : Path.of("out", command.name() + (quick() ? "-quick" : ""));
    }

    /**
     * Creates the output directory and checks that it can be written, before any work.
     *
     * @return the output directory
     * @throws IllegalArgumentException naming {@code --out}, the path and the cause
     */
    public Path prepareOut() {
        return OutputDirectory.prepare(OUT, out());
    }

    private void exclusiveProtocol() {
        if (quick && full) {
            throw new IllegalArgumentException("--quick and --full: expected at most one but got both");
        }
    }

    private SharedOptionUse use() {
        return ((TakesSharedOptions) command.userObject()).sharedOptionUse();
    }
}
