package io.structflow.layers;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.check.GradCheck;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Finite-difference checks (float64, central differences) of a module's input and parameter gradients. */
public final class Gradients {
    private Gradients() {
    }

    /**
     * Worst error of the analytic gradients of {@code ⟨w, f(x)⟩} in x and in every parameter of
     * {@code m}, relative to {@code 1e-6 + 1e-5·|numeric|}; ≤ 1 means every entry passed.
     */
    public static double worstScaledError(Module m, Function<Tensor, Tensor> f, Tensor x, Tensor w) {
        GradCheck.Result input = GradCheck.check(xs -> f.apply(xs[0]).mul(w).sum(), x);
        double worst = input.passed() ? 0 : 2;
        if (!input.passed()) {
            throw new AssertionError("input gradient: " + input.worst());
        }
        List<Parameter> params = m.parameters();
        Tensor[] analytic = Autograd.grad(f.apply(x).mul(w).sum(), false, params.toArray(new Tensor[0]));
        double eps = 1e-6;
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            INDArray base = p.value().dup();
            double[] g = analytic[i].toDoubleArray();
            for (int j = 0; j < g.length; j++) {
                INDArray plus = base.dup();
                plus.putScalar(j, base.getDouble(j) + eps);
                p.updateInPlace(plus);
                double fp = f.apply(x).mul(w).sum().item();
                INDArray minus = base.dup();
                minus.putScalar(j, base.getDouble(j) - eps);
                p.updateInPlace(minus);
                double fm = f.apply(x).mul(w).sum().item();
                p.updateInPlace(base);
                double numeric = (fp - fm) / (2 * eps);
                double scaled = Math.abs(numeric - g[j]) / (1e-6 + 1e-5 * Math.abs(numeric));
                if (scaled > 1) {
                    throw new AssertionError("parameter " + p.name() + " entry " + j + ": analytic " + g[j]
                            + " vs numeric " + numeric);
                }
                worst = Math.max(worst, scaled);
            }
        }
        return worst;
    }
}
