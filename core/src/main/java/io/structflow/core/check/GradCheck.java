package io.structflow.core.check;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Finite-difference check of reverse-mode gradients, first and second order, in float64.
 *
 * <p>First order: for a scalar function {@code f(x₁, …, x_k)}, every entry of {@code ∂f/∂xᵢ}
 * from {@link Autograd} is compared with the central difference
 * {@code (f(x + εeⱼ) − f(x − εeⱼ)) / 2ε}. Second order: the same check applied to
 * {@code x ↦ Σᵢ ⟨∂f/∂xᵢ(x), rᵢ⟩} for fixed random {@code rᵢ}, whose gradient reverse mode
 * obtains by differentiating the recorded first backward pass (as PyTorch's {@code gradgradcheck}).
 * An entry passes when {@code |analytic − numeric| ≤ atol + rtol·|numeric|}.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /**
     * Outcome of a check.
     *
     * @param maxAbsError worst |analytic − numeric| over all entries
     * @param worst       description of the worst entry
     * @param passed      whether every entry was within tolerance
     */
    public record Result(double maxAbsError, String worst, boolean passed) {
    }

    /** First-order check with ε = 1e-6, atol = 1e-6, rtol = 1e-5. */
    public static Result check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(f, 1e-6, 1e-6, 1e-5, inputs);
    }

    /** First-order check with explicit step and tolerances; inputs must be float64. */
    public static Result check(Function<Tensor[], Tensor> f, double eps, double atol, double rtol, Tensor... inputs) {
        Tensor[] vars = variables(inputs);
        Tensor out = f.apply(vars);
        requireScalar(out);
        Tensor[] analytic = Autograd.grad(new Tensor[] {out}, null, vars, false, false);
        double worstErr = 0;
        String worst = "none";
        boolean passed = true;
        for (int i = 0; i < vars.length; i++) {
            double[] base = vars[i].toDoubleArray();
            double[] grad = analytic[i].toDoubleArray();
            for (int j = 0; j < base.length; j++) {
                double numeric = (evaluate(f, vars, i, base, j, eps) - evaluate(f, vars, i, base, j, -eps)) / (2 * eps);
                double err = Math.abs(grad[j] - numeric);
                if (err > atol + rtol * Math.abs(numeric)) {
                    passed = false;
                }
                if (err > worstErr) {
                    worstErr = err;
                    worst = "input " + i + " entry " + j + ": analytic " + grad[j] + " vs numeric " + numeric;
                }
            }
        }
        return new Result(worstErr, worst, passed);
    }

    /** Second-order check: first-order check of {@code x ↦ Σ⟨∇f(x), r⟩} (ε = 1e-6, atol 1e-5, rtol 1e-4). */
    public static Result checkSecondOrder(Function<Tensor[], Tensor> f, long seed, Tensor... inputs) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor[] directions = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            directions[i] = Tensor.randn(DataType.DOUBLE, rng, inputs[i].shape());
        }
        Function<Tensor[], Tensor> directional = xs -> {
            Tensor[] vars = new Tensor[xs.length];
            for (int i = 0; i < xs.length; i++) {
                vars[i] = xs[i].requiresGrad() ? xs[i] : Tensor.variable(xs[i].value());
            }
            Tensor out;
            try (GradMode.Scope s = GradMode.enableGrad()) {
                out = f.apply(vars);
            }
            Tensor[] g = Autograd.grad(new Tensor[] {out}, null, vars, GradMode.isEnabled(), true);
            Tensor acc = null;
            for (int i = 0; i < g.length; i++) {
                Tensor term = g[i].mul(directions[i]).sum();
                acc = acc == null ? term : acc.add(term);
            }
            return acc;
        };
        return check(directional, 1e-6, 1e-5, 1e-4, inputs);
    }

    private static double evaluate(Function<Tensor[], Tensor> f, Tensor[] vars, int which, double[] base, int j, double delta) {
        double[] shifted = base.clone();
        shifted[j] += delta;
        Tensor[] args = vars.clone();
        args[which] = Tensor.of(DataType.DOUBLE, shifted, vars[which].shape());
        try (GradMode.Scope s = GradMode.noGrad()) {
            return f.apply(args).item();
        }
    }

    private static Tensor[] variables(Tensor[] inputs) {
        Tensor[] vars = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].dtype() != DataType.DOUBLE) {
                throw new IllegalArgumentException("GradCheck: inputs[" + i + "] expected float64 but got "
                        + inputs[i].dtype() + " (finite differences in float32 are meaningless)");
            }
            INDArray copy = inputs[i].value().dup('c');
            vars[i] = Tensor.variable(copy);
        }
        return vars;
    }

    private static void requireScalar(Tensor out) {
        if (out.length() != 1) {
            throw new IllegalArgumentException("GradCheck: f expected to return one value but returned shape "
                    + java.util.Arrays.toString(out.shape()));
        }
    }
}
