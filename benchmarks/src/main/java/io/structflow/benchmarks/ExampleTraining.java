package io.structflow.benchmarks;

import io.structflow.constraints.regularize.ConvOrthogonalityPenalty;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.Batch;
import io.structflow.core.data.Dataset;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.optim.Adam;
import io.structflow.core.optim.Optimizer;
import io.structflow.core.optim.Sgd;
import io.structflow.core.train.LossFunction;
import io.structflow.examples.dynamics.MassPreservingNetwork;
import io.structflow.examples.dynamics.PendulumExperiment;
import io.structflow.examples.dynamics.PendulumSystem;
import io.structflow.examples.dynamics.SirExperiment;
import io.structflow.examples.dynamics.SirSystem;
import io.structflow.examples.planar.Family;
import io.structflow.examples.planar.PlanarClassifier;
import io.structflow.examples.planar.Settings;
import io.structflow.examples.robust.Architecture;
import io.structflow.examples.robust.NetworkKind;
import io.structflow.examples.robust.RobustNetworks;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The example networks whose training steps the benchmarks time, each with the optimiser, loss
 * and batch size its example trains with (float32):
 * <ul>
 *   <li>{@code planar}: the alternating classifier of [CMOSS] Table 1 ({@link PlanarClassifier},
 *       {@link Settings#defaults()}: 5 contractive/expansive pairs of width 4, S = 2, steps
 *       projected onto R of (3.10)), cross-entropy, Adam 1e-2, batch 256;</li>
 *   <li>{@code sir}: the mass-preserving network of §4.3 ({@link MassPreservingNetwork}, 9 layers,
 *       width 6, hidden 10), MSE, Adam 1e-2, batch 32;</li>
 *   <li>{@code sympnet}: the G-SympNet of the pendulum example (8 gradient modules of width 32),
 *       MSE, Adam 1e-3, batch 256;</li>
 *   <li>{@code fmnist}: the prescribed-switching network of §3.3 ({@link RobustNetworks},
 *       {@link Architecture#defaults}: channels 8-16-32, 2 pairs per stage, S = 2; kernels kept in
 *       ‖K‖₂ ≤ 1, steps in R, lifts and head bounded), multi-class hinge loss (margin 0.15) plus
 *       10⁻³ × the convolutional orthogonality penalty, SGD lr 0.05 momentum 0.9, batch 64;</li>
 *   <li>{@code fmnist_resnet}: the unconstrained ResNet baseline of §3.3 with the same loss
 *       (no penalty) and batch, SGD at lr 0.005 (it diverges at 0.05).</li>
 * </ul>
 * Inputs are drawn at random in each example's input set (the step's cost does not depend on
 * the values): points of the disc's square, the simplex, the pendulum's box, images in [0, 1].
 */
final class ExampleTraining {
    /** The network names, as the benchmarks' {@code network} parameter. */
    static final List<String> NETWORKS = List.of("planar", "sir", "sympnet", "fmnist", "fmnist_resnet");

    /**
     * One example's training set-up.
     *
     * @param model     the network
     * @param optimizer its optimiser (whose {@code step()} also projects the constrained parameters)
     * @param loss      its loss
     * @param batch     one batch of the size the example trains with
     */
    record Setup(Module model, Optimizer optimizer, LossFunction loss, Batch batch) {
    }

    private ExampleTraining() {
    }

    /** Builds the set-up of {@code network} (one of {@link #NETWORKS}) from {@code seed}. */
    static Setup of(String network, long seed) {
        DataType t = DataType.FLOAT;
        SplittableRandom rng = new SplittableRandom(seed);
        switch (network) {
            case "planar" -> {
                Settings s = Settings.defaults();
                PlanarClassifier model = new PlanarClassifier(Family.ALTERNATING, s, seed);
                Dataset data = s.dataset().train(s.batchSize(), seed, t);
                return new Setup(model, new Adam(model, Adam.Config.defaults(s.learningRate())),
                        (m, b) -> Losses.crossEntropy(m.forward(b.x()), b.labels()), data.batch(range(s.batchSize())));
            }
            case "sir" -> {
                SirExperiment.Config c = SirExperiment.Config.defaults(1, t, seed);
                MassPreservingNetwork model = new MassPreservingNetwork(3, c.width(), c.depth(), c.hidden(), c.step(), t,
                        seed);
                Tensor x = SirSystem.sampleSimplex(c.fit().batchSize(), rng, t);
                Tensor y = c.system().flow(x, c.time(), c.rk4Steps());
                return new Setup(model, new Adam(model, Adam.Config.defaults(c.fit().learningRate())),
                        (m, b) -> Losses.mse(m.forward(b.x()), b.y()), new Batch(x, y, null));
            }
            case "sympnet" -> {
                PendulumExperiment.Config c = PendulumExperiment.Config.defaults(1, t, seed);
                Module model = PendulumExperiment.build(PendulumExperiment.Model.SYMPNET, c, rng);
                Tensor x = PendulumSystem.sampleBox(c.fit().batchSize(), c.pMax(), rng, t);
                Tensor y = PendulumSystem.flow(x, c.h(), c.rk4Substeps());
                return new Setup(model, new Adam(model, Adam.Config.defaults(c.fit().learningRate())),
                        (m, b) -> Losses.mse(m.forward(b.x()), b.y()), new Batch(x, y, null));
            }
            case "fmnist", "fmnist_resnet" -> {
                NetworkKind kind = network.equals("fmnist") ? NetworkKind.PRESCRIBED : NetworkKind.RESNET;
                RobustNetworks.Network net = RobustNetworks.build(kind, Architecture.defaults(t, seed), 10);
                int batchSize = 64;
                int[] labels = new int[batchSize];
                for (int i = 0; i < batchSize; i++) {
                    labels[i] = rng.nextInt(10);
                }
                Tensor x = Tensor.uniform(t, rng, 0, 1, batchSize, 1, Architecture.IMAGE_SIZE, Architecture.IMAGE_SIZE);
                double lr = kind == NetworkKind.RESNET ? 0.005 : 0.05;
                return new Setup(net.model(), new Sgd(net.model(), Sgd.Config.momentum(lr, 0.9)),
                        robustLoss(net.orthogonalKernels()), new Batch(x, null, labels));
            }
            default -> throw new IllegalArgumentException("network: expected one of " + NETWORKS + " but got '"
                    + network + "'");
        }
    }

    /** The loss of the robustness example: hinge (margin 0.15) plus 10⁻³ × the orthogonality penalty of {@code kernels}. */
    static LossFunction robustLoss(List<Parameter> kernels) {
        ConvOrthogonalityPenalty penalty = new ConvOrthogonalityPenalty();
        return (m, b) -> {
            Tensor loss = Losses.multiClassHinge(m.forward(b.x()), b.labels(), 0.15);
            for (Parameter k : kernels) {
                loss = loss.add(penalty.apply(k).mul(1e-3));
            }
            return loss;
        };
    }

    private static int[] range(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }
}
