package io.structflow.core.optim;

import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

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
 * Cost per parameter: about five ND4J calls.
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
        INDArray theta = p.value();
        INDArray g = config.weightDecay() == 0 ? grad : theta.mul(config.weightDecay()).addi(grad);
        INDArray d = g;
        if (config.momentum() > 0) {
            INDArray b = slot(name, p, MOMENTUM);
            b.muli(config.momentum()).addi(g);
            d = config.nesterov() ? b.mul(config.momentum()).addi(g) : b;
        }
        theta.subi(d.mul(learningRate()));
    }
}
