package io.structflow.interop;

import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Module;
import io.structflow.core.nn.Parameter;
import io.structflow.core.nn.Sequential;
import io.structflow.imaging.denoisers.FlowDenoiser;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.layers.FlowLayer;
import io.structflow.layers.blocks.SympNet;
import io.structflow.layers.fields.ContractiveGradientField;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.Family;
import io.structflow.layers.models.NetworkKind;
import io.structflow.layers.models.PlanarClassifier;
import io.structflow.layers.models.RobustNetworks;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/** The library's example networks at test sizes, with the input shape of one sample. */
public final class ExampleNetworks {
    private ExampleNetworks() {
    }

    /**
     * A network and its input.
     *
     * @param name        for messages and the PyTorch twin's name
     * @param model       the network
     * @param sampleShape one input sample's shape (no batch)
     */
    public record Example(String name, Module model, long[] sampleShape) {
    }

    /** The planar classifier of [CMOSS] §1.1 (alternating family, defaults: width 4, ten layers, S = 2). */
    public static Example planar(DataType type, long seed) {
        PlanarClassifier.Architecture d = PlanarClassifier.Architecture.defaults();
        PlanarClassifier.Architecture a = new PlanarClassifier.Architecture(d.width(), d.layers(), d.slope(),
                d.substeps(), d.weightStd(), d.alternatingH1(), d.alternatingH2(), d.minContractiveStep(),
                d.expansiveStep(), d.contractiveStep(), type);
        return new Example("planar", new PlanarClassifier(Family.ALTERNATING, a, seed), new long[] {2});
    }

    /**
     * A CPL-style gradient-flow classifier (convex potential layers, Meunier et al., ICML 2022, as
     * the contractive Euler step of [CMOSS] (3.5)): a linear lift 4 → 8, three layers
     * {@code x − h Aᵀ ReLU(Ax + b)} with {@code A [16, 8]}, {@code ‖A‖₂ ≤ 1} and a learnable
     * {@code h ∈ [0, 2]}, and a linear head 8 → 3.
     */
    public static Sequential cplClassifier(DataType type, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Sequential net = new Sequential(new Linear(4, 8, true, type, rng));
        for (int i = 0; i < 3; i++) {
            ContractiveGradientField field = new ContractiveGradientField(8, 16, Activation.relu(), false, type,
                    rng.split()).constrainNorm(1);
            Parameter h = FlowLayer.stepParameter(1.5, type);
            net.add(new FlowLayer<>(field, new ExplicitEuler(), h, 1));
        }
        return net.add(new Linear(8, 3, true, type, rng));
    }

    /** The CPL-style classifier as an example. */
    public static Example cpl(DataType type, long seed) {
        return new Example("cpl", cplClassifier(type, seed), new long[] {4});
    }

    /** The pendulum SympNet of [CMOSS] §4.1: d = 1, 8 gradient modules of width 32, tanh. */
    public static Example sympNet(DataType type, long seed) {
        return new Example("sympnet", SympNet.pendulum(seed, type), new long[] {2});
    }

    /** The Euler denoiser of [M-slides] at 12×12: 4 channels, 8 hidden, 3 layers, 3×3 kernels, ReLU. */
    public static Example denoiser(DataType type, long seed) {
        FlowDenoiser d = new FlowDenoiser(new FlowDenoiser.Architecture(4, 8, 3, 3), FlowDenoiser.Scheme.EULER, 12, 12,
                type, seed, 0.5);
        return new Example("denoiser", d, new long[] {1, 12, 12});
    }

    /** The same denoiser with classical RK4 steps (the tableau's four stages in the graph). */
    public static Example rk4Denoiser(DataType type, long seed) {
        FlowDenoiser d = new FlowDenoiser(new FlowDenoiser.Architecture(4, 8, 3, 3), FlowDenoiser.Scheme.RK4, 12, 12,
                type, seed, 0.5);
        return new Example("denoiser-rk4", d, new long[] {1, 12, 12});
    }

    /** One of the five robust Fashion-MNIST networks of [CMOSS] §3.3, narrow: stages of 2 and 4 channels, one pair. */
    public static Example robust(NetworkKind kind, DataType type, long seed) {
        Architecture arch = new Architecture(new int[] {2, 4}, 1, 2, 0.5, true, type, seed);
        return new Example("robust-" + kind.name().toLowerCase(java.util.Locale.ROOT),
                RobustNetworks.build(kind, arch, 10).model(), new long[] {1, 28, 28});
    }
}
