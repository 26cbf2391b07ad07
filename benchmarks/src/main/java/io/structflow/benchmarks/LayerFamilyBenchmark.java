package io.structflow.benchmarks;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Intermediates;
import io.structflow.core.autodiff.Replay;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.core.nn.Module;
import io.structflow.integrators.lie.CayleyHeun;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.integrators.symplectic.StormerVerlet;
import io.structflow.layers.FlowLayer;
import io.structflow.layers.blocks.GradientModule;
import io.structflow.layers.blocks.ResNetBlock;
import io.structflow.layers.blocks.SympNetModule;
import io.structflow.layers.fields.ContractiveGradientField;
import io.structflow.layers.fields.ExpansiveGradientField;
import io.structflow.layers.fields.MassPreservingField;
import io.structflow.layers.fields.SeparableHamiltonianField;
import io.structflow.layers.fields.TriangularSkewField;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward and forward + backward (input and parameter gradients) of one layer of each family at
 * batch 256 and widths 8 and 128 ([CMOSS] §3–4 building blocks), eager execution:
 * contractive and expansive gradient-flow Euler steps (3.5)/(3.7), the mass-preserving Euler
 * step (4.2), a separable Hamiltonian Störmer–Verlet step, a SympNet gradient module, a
 * norm-preserving Cayley–Heun step and the reference ResNet block; eager, each call in an
 * {@link Intermediates} scope as {@code Trainer} runs an eager step, or recorded once and
 * replayed ({@link Replay}, the path of a compiled training step). PyTorch twins:
 * {@code benchmarks/torch/bench_layers.py} (cases {@code layer_<family>_fwd[_bwd]_w<width>}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxphysicalbytes=4G"})
public class LayerFamilyBenchmark {
    @Param({"contractive", "expansive", "mass", "hamiltonian", "sympnet", "sphere", "resnet"})
    public String family;

    @Param({"8", "128"})
    public int width;

    @Param({"eager", "replay"})
    public String mode;

    private Module layer;
    private Tensor x;
    private Replay forwardReplay;
    private Replay forwardBackwardReplay;

    @Setup
    public void setUp() {
        DataType t = DataType.FLOAT;
        SplittableRandom rng = new SplittableRandom(1);
        Activation sigma = Activation.leakyRelu(0.5);
        layer = switch (family) {
            case "contractive" -> FlowLayer.fixedStep(ContractiveGradientField.orthogonal(width, width, sigma, t, 1),
                    new ExplicitEuler(), 0.5, 1);
            case "expansive" -> FlowLayer.fixedStep(ExpansiveGradientField.orthogonal(width, width, sigma, t, 1),
                    new ExplicitEuler(), 0.1, 1);
            case "mass" -> FlowLayer.fixedStep(new MassPreservingField(width, width, Activation.tanh(), t, rng),
                    new ExplicitEuler(), 0.1, 1);
            case "hamiltonian" -> FlowLayer.fixedStep(new SeparableHamiltonianField(width, width, Activation.tanh(), t, rng),
                    new StormerVerlet(), 0.1, 1);
            case "sympnet" -> new GradientModule(width / 2, width, SympNetModule.Half.UP, Activation.tanh(), 1, t);
            case "sphere" -> FlowLayer.fixedStep(new TriangularSkewField(width, width, Activation.tanh(), t, rng),
                    new CayleyHeun(), 0.1, 1);
            case "resnet" -> ResNetBlock.dense(width, width, 1, t);
            default -> throw new IllegalArgumentException("family: unknown " + family);
        };
        x = Tensor.variable(Tensor.randn(t, rng, 256, width).value());
        if (mode.equals("replay")) {
            forwardReplay = replayable(Replay.record(this::eagerForward).replay());
            forwardBackwardReplay = replayable(Replay.record(() -> {
                eagerForwardBackward();
                return null;
            }).replay());
        }
    }

    private Replay replayable(Replay r) {
        if (!r.isReplayable()) {
            throw new IllegalStateException(family + " layer: not replayable: " + r.whyNotReplayable());
        }
        return r;
    }

    private Tensor eagerForward() {
        try (GradMode.Scope s = GradMode.noGrad()) {
            return layer.forward(x);
        }
    }

    private void eagerForwardBackward() {
        layer.zeroGrad();
        Autograd.backward(layer.forward(x).sum());
    }

    @Benchmark
    public Object forward() {
        if (forwardReplay != null) {
            forwardReplay.run();
            return forwardReplay;
        }
        try (Intermediates scope = Intermediates.open()) {
            return eagerForward().shape();
        }
    }

    @Benchmark
    public void forward_backward() {
        if (forwardBackwardReplay != null) {
            forwardBackwardReplay.run();
        } else {
            try (Intermediates scope = Intermediates.open()) {
                eagerForwardBackward();
            }
        }
    }
}
