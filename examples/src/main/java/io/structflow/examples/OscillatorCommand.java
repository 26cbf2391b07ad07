package io.structflow.examples;

import io.structflow.examples.dynamics.DynamicsPlots;
import io.structflow.examples.dynamics.OscillatorExperiment;
import io.structflow.examples.dynamics.Summary;
import io.structflow.examples.support.DataTypeConverter;
import io.structflow.examples.support.Results;
import io.structflow.examples.support.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * [M-slides]: explicit Euler, symplectic Euler and implicit midpoint on the harmonic oscillator
 * {@code H = (q² + p²)/2}; prints each method's energy drift and draws the orbits and the energy
 * over time. Deterministic: no training, so no seed, runs or epochs.
 */
@Command(name = "oscillator", mixinStandardHelpOptions = true,
        description = {"Explicit Euler vs symplectic Euler vs implicit midpoint on H = (q² + p²)/2 ([M-slides]).",
            "Deterministic (no training): reports final and max |H − H₀| per method."})
final class OscillatorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--h", defaultValue = "0.1", description = "step size (default ${DEFAULT-VALUE})")
    double h;

    @Option(names = "--steps", defaultValue = "300", description = "number of steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--q0", defaultValue = "1.0", description = "initial position (default ${DEFAULT-VALUE})")
    double q0;

    @Option(names = "--p0", defaultValue = "0.0", description = "initial momentum (default ${DEFAULT-VALUE})")
    double p0;

    @Option(names = "--dtype", defaultValue = "float64", converter = DataTypeConverter.class,
            description = "float32 or float64 (default ${DEFAULT-VALUE})")
    DataType dtype;

    @Option(names = "--out", defaultValue = "out/oscillator", description = "output directory (default ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws IOException {
        OscillatorExperiment.Config c;
        try {
            c = new OscillatorExperiment.Config(h, steps, q0, p0, dtype);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<OscillatorExperiment.MethodResult> methods = OscillatorExperiment.run(c);
        double h0 = methods.get(0).energy()[0];
        System.out.printf("harmonic oscillator H = (q² + p²)/2 from (q, p) = (%s, %s), H₀ = %s; %d steps of h = %s "
                + "(t = %s), %s%n", q0, p0, h0, steps, h, steps * h, dtype == DataType.DOUBLE ? "float64" : "float32");
        Table table = new Table("method", "final H", "final H − H₀", "max |H − H₀|");
        Map<String, Object> json = new LinkedHashMap<>();
        for (OscillatorExperiment.MethodResult m : methods) {
            table.row(m.name(), String.format("%.6g", m.finalEnergy()), Summary.sci(m.finalEnergyError()),
                    Summary.sci(m.maxEnergyError()));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("max_energy_error", m.maxEnergyError());
            entry.put("final_energy", m.finalEnergy());
            entry.put("final_energy_error", m.finalEnergyError());
            json.put(m.key(), entry);
        }
        System.out.print(table);
        json.put("initial_energy", h0);
        json.put("h", h);
        json.put("steps", steps);
        json.put("q0", q0);
        json.put("p0", p0);
        json.put("dtype", dtype == DataType.DOUBLE ? "float64" : "float32");
        Path file = Results.write(out, json);
        System.out.println("wrote " + file);
        for (Path p : DynamicsPlots.oscillator(out, methods, h)) {
            System.out.println("wrote " + p);
        }
        return 0;
    }
}
