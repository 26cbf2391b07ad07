package io.structflow.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.DataLoader;
import io.structflow.core.data.Dataset;
import io.structflow.core.data.PlanarData;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.nn.Sequential;
import io.structflow.core.optim.Sgd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** {@link UpdateTrace} and {@link ActivationTrace} against the step computed directly, and training unchanged by them. */
class UpdateTraceTest {
    private static final LossFunction CROSS_ENTROPY = (m, b) -> Losses.crossEntropy(m.forward(b.x()), b.labels());

    @TempDir
    Path tmp;

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static double[] minus(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static double[] scaled(double[] a, double s) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] * s;
        }
        return d;
    }

    private static List<Map<String, String>> rows(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",", -1);
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], f[i]);
            }
            out.add(row);
        }
        return out;
    }

    @Test
    void oneProjectedSgdStep_traceEqualsTheStepComputedDirectly() throws IOException {
        Dataset data = PlanarData.twoMoons(32, 0.1, 1, DataType.FLOAT);
        Sequential model = (Sequential) TrainerTest.mlp(8, 3);
        Parameter projected = model.parameters().get(0);
        projected.constrain(new CountingConstraint()); // the first projection scales by 1 − 10⁻³
        double lr = 0.1;
        Map<String, double[]> before = new LinkedHashMap<>();
        model.namedParameters().forEach((n, p) -> before.put(n, p.toDoubleArray()));
        Tensor x = Tensor.constant(data.features());
        Autograd.backward(Losses.crossEntropy(model.forward(x), data.labels()));
        Map<String, double[]> grads = new LinkedHashMap<>();
        model.namedParameters().forEach((n, p) -> grads.put(n, p.grad().castTo(DataType.DOUBLE).dup('c').data().asDouble()));
        double firstLayerOutput;
        try (GradMode.Scope s = GradMode.noGrad()) {
            firstLayerOutput = model.layers().get(0).forward(x).value().castTo(DataType.DOUBLE).norm2(1).meanNumber()
                    .doubleValue();
        }
        model.zeroGrad();

        Path updates = tmp.resolve("updates.csv");
        Path activations = tmp.resolve("activations.csv");
        try (UpdateTrace u = new UpdateTrace(model.namedParameters(), 1, updates);
             ActivationTrace a = new ActivationTrace(model, 1, activations)) {
            Trainer.builder(model, new Sgd(model, Sgd.Config.plain(lr)), CROSS_ENTROPY, DataLoader.sequential(data, 32))
                    .stepObserver(u).stepObserver(a).build().fit();
        }

        List<Map<String, String>> trace = rows(updates);
        assertEquals(model.namedParameters().size(), trace.size());
        for (Map<String, String> row : trace) {
            String name = row.get("parameter");
            double[] theta = before.get(name);
            double[] g = grads.get(name);
            double[] mid = minus(theta, scaled(g, lr));
            double[] after = model.namedParameters().get(name).toDoubleArray();
            double[] projection = model.namedParameters().get(name) == projected
                    ? minus(scaled(mid, 1 - 1e-3), mid) : new double[mid.length];
            assertEquals(norm(theta), Double.parseDouble(row.get("param_norm")), 1e-6 * norm(theta), name);
            assertEquals(norm(g), Double.parseDouble(row.get("grad_norm")), 1e-6 * norm(g), name);
            assertEquals(lr * norm(g), Double.parseDouble(row.get("update_norm")), 1e-4 * lr * norm(g), name);
            assertEquals(norm(projection), Double.parseDouble(row.get("projection_norm")), 1e-3 * norm(projection) + 1e-7,
                    name);
            double step = norm(minus(after, theta));
            // the trace prints 9 significant digits (%.9g): a relative rounding of at most 5e-9
            assertEquals(step, Double.parseDouble(row.get("step_norm")), 5e-9 * step, name);
            assertEquals(1.0, Double.parseDouble(row.get("update_grad_cos")), 1e-5, name);
        }
        Map<String, String> first = rows(activations).get(0);
        assertEquals(firstLayerOutput, Double.parseDouble(first.get("mean_norm")), 1e-6 * firstLayerOutput);
    }

    @Test
    void fit_withTraces_endsWithTheSameParametersAsWithout() throws IOException {
        Dataset data = PlanarData.twoMoons(200, 0.1, 1, DataType.FLOAT);
        for (boolean compiled : new boolean[] {false, true}) {
            List<double[]> ends = new ArrayList<>();
            for (boolean traced : new boolean[] {false, true}) {
                Sequential model = (Sequential) TrainerTest.mlp(8, 3);
                model.parameters().get(0).constrain(new CountingConstraint());
                Trainer.Builder b = Trainer.builder(model, new Sgd(model, Sgd.Config.momentum(0.1, 0.9)), CROSS_ENTROPY,
                        DataLoader.shuffled(data, 32, 5)).epochs(3).compiled(compiled);
                Path dir = Files.createDirectories(tmp.resolve(compiled + "-" + traced));
                if (traced) {
                    try (UpdateTrace u = new UpdateTrace(model.namedParameters(), 2, dir.resolve("u.csv"));
                         ActivationTrace a = new ActivationTrace(model, 2, dir.resolve("a.csv"))) {
                        b.stepObserver(u).stepObserver(a).build().fit();
                    }
                    // 7 batches per epoch, 21 steps, every second traced: 11 steps
                    assertEquals(11 * model.namedParameters().size(), rows(dir.resolve("u.csv")).size());
                    assertEquals(11 * model.layers().size(), rows(dir.resolve("a.csv")).size());
                } else {
                    b.build().fit();
                }
                List<Double> all = new ArrayList<>();
                for (Parameter p : model.parameters()) {
                    for (double v : p.toDoubleArray()) {
                        all.add(v);
                    }
                }
                ends.add(all.stream().mapToDouble(Double::doubleValue).toArray());
            }
            assertArrayEquals(ends.get(0), ends.get(1), 0.0, "compiled " + compiled);
        }
    }

    @Test
    void constructor_refusesAStepCountBelowOne() {
        Module model = TrainerTest.mlp(4, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UpdateTrace(model.namedParameters(), 0, tmp.resolve("u.csv")));
        assertEquals("UpdateTrace: every expected ≥ 1 step but got 0", e.getMessage());
    }
}
