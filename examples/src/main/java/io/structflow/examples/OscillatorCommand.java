package io.structflow.examples;

import io.structflow.examples.dynamics.OscillatorExperiment;
import io.structflow.examples.dynamics.OscillatorReport;
import io.structflow.examples.support.ReportWriter;
import io.structflow.examples.support.SharedOptionUse;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.SharedOptionsFit;
import io.structflow.examples.support.TakesSharedOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * [M-slides]: explicit Euler, symplectic Euler and implicit midpoint on the harmonic oscillator
 * {@code H = (q² + p²)/2}; prints each method's energy drift and draws the orbits and the energy
 * over time. Deterministic: no training, so no seed, runs or epochs.
 */
@Command(name = "oscillator", mixinStandardHelpOptions = true, modelTransformer = SharedOptionsFit.class,
        description = {"Explicit Euler vs symplectic Euler vs implicit midpoint on H = (q² + p²)/2 ([M-slides]).",
            "Deterministic (no training): reports final and max |H − H₀| per method."})
final class OscillatorCommand implements Callable<Integer>, TakesSharedOptions {
    @Mixin
    SharedOptions shared;

    @Option(names = "--h", defaultValue = "0.1", description = "step size (default ${DEFAULT-VALUE})")
    double h;

    @Option(names = "--steps", defaultValue = "300", description = "number of steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--q0", defaultValue = "1.0", description = "initial position (default ${DEFAULT-VALUE})")
    double q0;

    @Option(names = "--p0", defaultValue = "0.0", description = "initial momentum (default ${DEFAULT-VALUE})")
    double p0;

    @Override
    public SharedOptionUse sharedOptionUse() {
        return SharedOptionUse.outAndDebug().dtype(DataType.DOUBLE);
    }

    @Override
    public Integer call() throws IOException {
        OscillatorExperiment.Config config = new OscillatorExperiment.Config(h, steps, q0, p0, shared.dtype());
        Path out = shared.prepareOut();
        ReportWriter.write(OscillatorReport.of(config, OscillatorExperiment.run(config)), out, System.out);
        return 0;
    }
}
