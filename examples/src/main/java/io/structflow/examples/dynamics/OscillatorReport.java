package io.structflow.examples.dynamics;

import io.structflow.examples.support.Report;
import io.structflow.examples.support.SharedOptions;
import io.structflow.examples.support.Summary;
import io.structflow.examples.support.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The oscillator experiment's report: energy drift per method, the orbits and the energy over time. */
public final class OscillatorReport {
    private OscillatorReport() {
    }

    /** The report of {@code methods}, run with {@code c}. */
    public static Report of(OscillatorExperiment.Config c, List<OscillatorExperiment.MethodResult> methods) {
        double h0 = methods.get(0).energy()[0];
        Report report = new Report().line(String.format("harmonic oscillator H = (q² + p²)/2 from (q, p) = (%s, %s), H₀ = %s; "
                + "%d steps of h = %s (t = %s), %s", c.q0(), c.p0(), h0, c.steps(), c.h(), c.steps() * c.h(),
                SharedOptions.dtypeName(c.type())));
        Table table = new Table("method", "final H", "final H − H₀", "max |H − H₀|");
        for (OscillatorExperiment.MethodResult m : methods) {
            table.row(m.name(), String.format("%.6g", m.finalEnergy()), Summary.sci(m.finalEnergyError()),
                    Summary.sci(m.maxEnergyError()));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("max_energy_error", m.maxEnergyError());
            entry.put("final_energy", m.finalEnergy());
            entry.put("final_energy_error", m.finalEnergyError());
            report.put(m.key(), entry);
        }
        return report.table(table)
                .put("initial_energy", h0)
                .put("h", c.h())
                .put("steps", c.steps())
                .put("q0", c.q0())
                .put("p0", c.p0())
                .put("dtype", SharedOptions.dtypeName(c.type()))
                .figure(dir -> DynamicsPlots.oscillator(dir, methods, c.h()));
    }
}
