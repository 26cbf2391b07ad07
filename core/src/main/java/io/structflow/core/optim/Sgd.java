package io.structflow.core.optim;

import io.structflow.core.autodiff.NativeKernel;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stochastic gradient descent with optional heavy-ball or Nesterov momentum and L2 weight decay,
 * with PyTorch's {@code torch.optim.SGD} update (dampening 0):
 * <pre>
 *   g ← ∇θ L + λ θ
 *   b ← μ b + g                  (b = 0 before the first step, so b₁ = g₁)
 *   d ← g + μ b  (Nesterov)   or   d ← b  (heavy ball)   or   d ← g  (μ = 0)
 *   θ ← θ − η d
 * </pre>
 * followed by the projections of {@link Optimizer#step()}. The optimiser of the Fashion-MNIST
 * classifiers of [CMOSS] §3.3 (momentum 0.9). State slot: {@code momentum_buffer} (when μ &gt; 0).
 * Cost: about five native calls per step on the flat parameter buffer (per parameter when a
 * parameter has no gradient).
 */
public final class Sgd extends Optimizer {
    private static final String MOMENTUM = "momentum_buffer";

    /**
     * Hyper-parameters.
     *
     * @param lr          learning rate η, finite and ≥ 0
     * @param momentum    μ in [0, 1)
     * @param nesterov    Nesterov momentum (requires μ &gt; 0)
     * @param weightDecay L2 coefficient λ ≥ 0, added to the gradient
     */
    public record Config(double lr, double momentum, boolean nesterov, double weightDecay) {
        /** Validates the hyper-parameters. */
        public Config {
            Hyper.requireRate("Sgd.Config", "lr", lr);
            Hyper.requireUnitInterval("Sgd.Config", "momentum", momentum);
            Hyper.requireRate("Sgd.Config", "weightDecay", weightDecay);
            if (nesterov && momentum == 0) {
                throw new IllegalArgumentException("Sgd.Config: nesterov expected momentum > 0 but got momentum 0");
            }
        }

        /** Plain SGD with rate {@code lr}. */
        public static Config plain(double lr) {
            return new Config(lr, 0, false, 0);
        }

        /** Heavy-ball momentum SGD. */
        public static Config momentum(double lr, double momentum) {
            return new Config(lr, momentum, false, 0);
        }
    }

    private final Config config;

    /** SGD on every parameter of {@code model}. */
    public Sgd(Module model, Config config) {
        this(named(model), config);
    }

    /** SGD on the given parameters, keyed by dotted name. */
    public Sgd(Map<String, Parameter> parameters, Config config) {
        super("Sgd", parameters, requireConfig(config).lr());
        this.config = config;
    }

    private static Config requireConfig(Config config) {
        if (config == null) {
            throw new IllegalArgumentException("Sgd: config expected non-null but got null");
        }
        return config;
    }

    /** The hyper-parameters (the current rate is {@link #learningRate()}). */
    public Config config() {
        return config;
    }

    @Override
    protected List<String> slotNames() {
        return List.of(MOMENTUM);
    }

    @Override
    protected void update(String name, Parameter p, INDArray grad) {
        Kernels k = kernels.computeIfAbsent(p, q -> new Kernels(q.dtype(), q.shape(), config));
        apply(k, p.value(), grad, config.momentum() > 0 ? slot(name, p, MOMENTUM) : null);
    }

    @Override
    protected boolean updateAll(INDArray theta, INDArray grad) {
        if (flatKernels == null) {
            flatKernels = new Kernels(theta.dataType(), theta.shape(), config);
        }
        apply(flatKernels, theta, grad, config.momentum() > 0 ? flatSlot(MOMENTUM) : null);
        return true;
    }

    /** The update of the class comment on one array (a parameter's, or the flat buffer of all). */
    private void apply(Kernels k, INDArray theta, INDArray grad, INDArray b) {
        INDArray g = grad;
        if (config.weightDecay() != 0) {
            k.scaleDecay.run(new INDArray[] {theta, k.weightDecay}, new INDArray[] {k.decayed});
            k.addDecay.run(new INDArray[] {k.decayed, grad}, new INDArray[] {k.decayed});
            g = k.decayed;
        }
        INDArray d = g;
        if (b != null) {
            // b ← μ·b + g; the step direction is b, or g + μ·b with Nesterov momentum
            k.scaleMomentum.run(new INDArray[] {b, k.momentum}, new INDArray[] {b});
            k.addMomentum.run(new INDArray[] {b, g}, new INDArray[] {b});
            d = b;
            if (config.nesterov()) {
                k.scaleNesterov.run(new INDArray[] {b, k.momentum}, new INDArray[] {k.nesterov});
                k.addNesterov.run(new INDArray[] {k.nesterov, g}, new INDArray[] {k.nesterov});
                d = k.nesterov;
            }
        }
        k.learningRate.putScalar(0, learningRate());
        k.scaleStep.run(new INDArray[] {d, k.learningRate}, new INDArray[] {k.step});
        k.subtract.run(new INDArray[] {theta, k.step}, new INDArray[] {theta});
    }

    private Kernels flatKernels;
    private final java.util.Map<Parameter, Kernels> kernels = new java.util.IdentityHashMap<>();

    /** Per-parameter native kernels and buffers, prepared once and reused every step. */
    private static final class Kernels {
        final INDArray learningRate;
        final INDArray momentum;
        final INDArray weightDecay;
        final INDArray step;
        final INDArray decayed;
        final INDArray nesterov;
        final NativeKernel scaleDecay = NativeKernel.of("multiply");
        final NativeKernel addDecay = NativeKernel.of("add");
        final NativeKernel scaleMomentum = NativeKernel.of("multiply");
        final NativeKernel addMomentum = NativeKernel.of("add");
        final NativeKernel scaleNesterov = NativeKernel.of("multiply");
        final NativeKernel addNesterov = NativeKernel.of("add");
        final NativeKernel scaleStep = NativeKernel.of("multiply");
        final NativeKernel subtract = NativeKernel.of("subtract");

        Kernels(DataType type, long[] shape, Config config) {
            learningRate = Nd4j.scalar(type, 0.0);
            momentum = Nd4j.scalar(type, config.momentum());
            weightDecay = Nd4j.scalar(type, config.weightDecay());
            step = Nd4j.createUninitialized(type, shape, 'c');
            decayed = Nd4j.createUninitialized(type, shape, 'c');
            nesterov = Nd4j.createUninitialized(type, shape, 'c');
        }
    }
}
