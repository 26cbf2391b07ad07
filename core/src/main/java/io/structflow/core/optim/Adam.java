package io.structflow.core.optim;

import io.structflow.core.autodiff.NativeKernel;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam with bias correction (Kingma &amp; Ba, ICLR 2015, arXiv:1412.6980, Algorithm 1) and L2
 * weight decay added to the gradient, as PyTorch's {@code torch.optim.Adam}:
 * <pre>
 *   t ← t + 1
 *   g ← ∇θ L + λ θ
 *   m ← β₁ m + (1 − β₁) g
 *   v ← β₂ v + (1 − β₂) g²
 *   θ ← θ − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 * followed by the projections of {@link Optimizer#step()}. Used for the planar classifiers of
 * [CMOSS] §1.1 / Table 1. State slots per parameter: {@code exp_avg} (m), {@code exp_avg_sq} (v)
 * and {@code step} (t, a float64 scalar counting the steps in which the parameter had a
 * gradient). Cost: two native calls per step on the flat parameter buffer (per parameter when a
 * parameter has no gradient).
 */
public final class Adam extends Optimizer {
    private static final String EXP_AVG = "exp_avg";
    private static final String EXP_AVG_SQ = "exp_avg_sq";
    private static final String STEP = "step";

    /**
     * Hyper-parameters.
     *
     * @param lr          learning rate η, finite and ≥ 0
     * @param beta1       β₁ in [0, 1)
     * @param beta2       β₂ in [0, 1)
     * @param eps         ε &gt; 0
     * @param weightDecay L2 coefficient λ ≥ 0, added to the gradient
     */
    public record Config(double lr, double beta1, double beta2, double eps, double weightDecay) {
        /** Validates the hyper-parameters. */
        public Config {
            Hyper.requireRate("Adam.Config", "lr", lr);
            Hyper.requireUnitInterval("Adam.Config", "beta1", beta1);
            Hyper.requireUnitInterval("Adam.Config", "beta2", beta2);
            Hyper.requirePositive("Adam.Config", "eps", eps);
            Hyper.requireRate("Adam.Config", "weightDecay", weightDecay);
        }

        /** PyTorch's defaults with rate {@code lr}: β = (0.9, 0.999), ε = 1e-8, no weight decay. */
        public static Config defaults(double lr) {
            return new Config(lr, 0.9, 0.999, 1e-8, 0);
        }
    }

    private final Config config;

    /** Adam on every parameter of {@code model}. */
    public Adam(Module model, Config config) {
        this(named(model), config);
    }

    /** Adam on the given parameters, keyed by dotted name. */
    public Adam(Map<String, Parameter> parameters, Config config) {
        super("Adam", parameters, requireConfig(config).lr());
        this.config = config;
    }

    private static Config requireConfig(Config config) {
        if (config == null) {
            throw new IllegalArgumentException("Adam: config expected non-null but got null");
        }
        return config;
    }

    /** The hyper-parameters (the current rate is {@link #learningRate()}). */
    public Config config() {
        return config;
    }

    @Override
    protected List<String> slotNames() {
        return List.of(EXP_AVG, EXP_AVG_SQ, STEP);
    }

    @Override
    protected long[] slotShape(Parameter p, String slot) {
        return STEP.equals(slot) ? new long[0] : super.slotShape(p, slot);
    }

    @Override
    protected DataType slotType(Parameter p, String slot) {
        return STEP.equals(slot) ? DataType.DOUBLE : super.slotType(p, slot);
    }

    @Override
    protected void update(String name, Parameter p, INDArray grad) {
        INDArray counter = slot(name, p, STEP);
        double t = counter.getDouble(0) + 1;
        counter.putScalar(0, t);
        Kernels k = kernels.computeIfAbsent(p, q -> new Kernels(q.dtype(), q.shape(), config));
        apply(k, t, p.value(), grad, slot(name, p, EXP_AVG), slot(name, p, EXP_AVG_SQ));
    }

    /** All parameters at once when their step counters agree (they do unless some step skipped one). */
    @Override
    protected boolean updateAll(INDArray theta, INDArray grad) {
        double t = -1;
        for (Map.Entry<String, Parameter> e : parameters().entrySet()) {
            double ti = slot(e.getKey(), e.getValue(), STEP).getDouble(0);
            if (t >= 0 && ti != t) {
                return false;
            }
            t = ti;
        }
        t += 1;
        for (Map.Entry<String, Parameter> e : parameters().entrySet()) {
            slot(e.getKey(), e.getValue(), STEP).putScalar(0, t);
        }
        if (flatKernels == null) {
            flatKernels = new Kernels(theta.dataType(), theta.shape(), config);
        }
        apply(flatKernels, t, theta, grad, flatSlot(EXP_AVG), flatSlot(EXP_AVG_SQ));
        return true;
    }

    /** The update of the class comment at step t on one array (a parameter's, or the flat buffer of all). */
    private void apply(Kernels k, double t, INDArray theta, INDArray grad, INDArray m, INDArray v) {
        INDArray g = grad;
        if (config.weightDecay() != 0) {
            k.decayScale.run(new INDArray[] {theta, k.weightDecay}, new INDArray[] {k.decayTerm});
            k.decayAdd.run(new INDArray[] {k.decayTerm, grad}, new INDArray[] {k.decayedGrad});
            g = k.decayedGrad;
        }
        // PyTorch's Adam: θ ← θ − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε), which libnd4j's adam_updater
        // computes exactly when given ε·√(1−β2ᵗ) and iteration t−1.
        k.learningRate.putScalar(0, learningRate());
        k.epsilon.putScalar(0, config.eps() * Math.sqrt(1 - Math.pow(config.beta2(), t)));
        k.adam.setIntArguments((long) t - 1);
        k.adam.run(new INDArray[] {g, v, m, k.learningRate, k.beta1, k.beta2, k.epsilon}, new INDArray[] {k.update, v, m});
        k.subtract.run(new INDArray[] {theta, k.update}, new INDArray[] {theta});
    }

    private Kernels flatKernels;
    private final java.util.Map<Parameter, Kernels> kernels = new java.util.IdentityHashMap<>();

    /** Per-parameter native kernels and scalar buffers, prepared once and reused every step. */
    private static final class Kernels {
        final INDArray learningRate;
        final INDArray beta1;
        final INDArray beta2;
        final INDArray epsilon;
        final INDArray weightDecay;
        final INDArray update;
        final INDArray decayTerm;
        final INDArray decayedGrad;
        final NativeKernel adam = NativeKernel.of("adam_updater", new double[0], new long[] {0});
        final NativeKernel subtract = NativeKernel.of("subtract");
        final NativeKernel decayScale = NativeKernel.of("multiply");
        final NativeKernel decayAdd = NativeKernel.of("add");

        Kernels(DataType type, long[] shape, Config config) {
            learningRate = Nd4j.scalar(type, 0.0);
            beta1 = Nd4j.scalar(type, config.beta1());
            beta2 = Nd4j.scalar(type, config.beta2());
            epsilon = Nd4j.scalar(type, config.eps());
            weightDecay = Nd4j.scalar(type, config.weightDecay());
            update = Nd4j.createUninitialized(type, shape, 'c');
            decayTerm = config.weightDecay() == 0 ? null : Nd4j.createUninitialized(type, shape, 'c');
            decayedGrad = config.weightDecay() == 0 ? null : Nd4j.createUninitialized(type, shape, 'c');
        }
    }
}
