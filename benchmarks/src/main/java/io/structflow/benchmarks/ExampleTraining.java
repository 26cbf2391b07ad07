package io.structflow.benchmarks;

import io.structflow.constraints.regularize.ConvOrthogonalityPenalty;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.data.Batch;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.optim.Adam;
import io.structflow.core.optim.Optimizer;
import io.structflow.core.optim.Sgd;
import io.structflow.core.train.LossFunction;
import io.structflow.layers.blocks.SympNet;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.Family;
import io.structflow.layers.models.MassPreservingNetwork;
import io.structflow.layers.models.NetworkKind;
import io.structflow.layers.models.PlanarClassifier;
import io.structflow.layers.models.RobustNetworks;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The example networks whose training steps the benchmarks time, each with the optimiser, loss
 * and batch size its example trains with (float32):
 * <ul>
 *   <li>{@code planar}: the alternating classifier of [CMOSS] Table 1 ({@link PlanarClassifier},
 *       {@link PlanarClassifier.Architecture#defaults()}: 5 contractive/expansive pairs of width 4,
 *       S = 2, steps projected onto R of (3.10)), cross-entropy, Adam 1e-2, batch 256;</li>
 *   <li>{@code sir}: the mass-preserving network of §4.3 ({@link MassPreservingNetwork}, 9 layers,
 *       width 6, hidden 10), MSE, Adam 1e-2, batch 32;</li>
 *   <li>{@code sympnet}: the G-SympNet of the pendulum example ({@link SympNet#gradient}, 8 gradient
 *       modules of width 32, tanh), MSE, Adam 1e-3, batch 256;</li>
 *   <li>{@code fmnist}: the prescribed-switching network of §3.3 ({@link RobustNetworks},
 *       {@link Architecture#defaults}: channels 8-16-32, 2 pairs per stage, S = 2; kernels kept in
 *       ‖K‖₂ ≤ 1, steps in R, lifts and head bounded), multi-class hinge loss (margin 0.15) plus
 *       10⁻³ × the convolutional orthogonality penalty, SGD lr 0.05 momentum 0.9, batch 64;</li>
 *   <li>{@code fmnist_resnet}: the unconstrained ResNet baseline of §3.3 with the same loss
 *       (no penalty) and batch, SGD at lr 0.005 (it diverges at 0.05).</li>
 * </ul>
 * Inputs, targets and labels are drawn at random in each example's input set (the step's cost
 * does not depend on the values): points of the square {@code [−1, 1]²}, of {@code [0, 1]³}, of the
 * pendulum's box {@code [−π, π] × [−1.5, 1.5]}, images in [0, 1].
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
                PlanarClassifier model = new PlanarClassifier(Family.ALTERNATING,
                        PlanarClassifier.Architecture.defaults(), seed);
                Tensor x = Tensor.uniform(t, rng, -1, 1, 256, 2);
                return new Setup(model, new Adam(model, Adam.Config.defaults(1e-2)),
                        (m, b) -> Losses.crossEntropy(m.forward(b.x()), b.labels()),
                        new Batch(x, null, randomLabels(256, 2, rng)));
            }
            case "sir" -> {
                MassPreservingNetwork model = new MassPreservingNetwork(3, 6, 9, 10, 0.1, t, seed);
                Tensor x = Tensor.uniform(t, rng, 0, 1, 32, 3);
                Tensor y = Tensor.uniform(t, rng, 0, 1, 32, 3);
                return new Setup(model, new Adam(model, Adam.Config.defaults(1e-2)),
                        (m, b) -> Losses.mse(m.forward(b.x()), b.y()), new Batch(x, y, null));
            }
            case "sympnet" -> {
                Module model = SympNet.gradient(1, 8, 32, Activation.tanh(), rng.nextLong(), t);
                Tensor box = Tensor.of(t, new double[] {Math.PI, 1.5}, 1, 2);
                Tensor x = Tensor.uniform(t, rng, -1, 1, 256, 2).mul(box);
                Tensor y = Tensor.uniform(t, rng, -1, 1, 256, 2).mul(box);
                return new Setup(model, new Adam(model, Adam.Config.defaults(1e-3)),
                        (m, b) -> Losses.mse(m.forward(b.x()), b.y()), new Batch(x, y, null));
            }
            case "fmnist", "fmnist_resnet" -> {
                NetworkKind kind = network.equals("fmnist") ? NetworkKind.PRESCRIBED : NetworkKind.RESNET;
                RobustNetworks.Network net = RobustNetworks.build(kind, Architecture.defaults(t, seed), 10);
                int batchSize = 64;
                int[] labels = randomLabels(batchSize, 10, rng);
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

    private static int[] randomLabels(int n, int classes, SplittableRandom rng) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(classes);
        }
        return labels;
    }
}
