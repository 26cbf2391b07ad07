package io.structflow.benchmarks;

import io.structflow.constraints.project.BjorckOrthonormalization;
import io.structflow.constraints.project.FlexibleSwitchingRegion;
import io.structflow.constraints.project.NonExpansiveStepRegion;
import io.structflow.constraints.project.SpectralNormBound;
import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Constraint;
import io.structflow.core.nn.Parameter;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one projection after an optimiser step: Björck orthonormalisation and the spectral-norm
 * bound for dense weights of width 8/64/256, and the spectral-norm bound of a 32-channel 3×3 conv
 * operator on 28×28 images (warm-started, as during training); and the step-pair regions of
 * five contractive/expansive pairs (the planar network's): the non-expansive region R of (3.10)
 * with a = ½, S = 2, and the flexible-switching set of App. C. The parameter is perturbed
 * before each call, as an optimiser step would (step pairs sit on R's boundary after the first
 * projection, so about half of them leave it again, as in training).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxphysicalbytes=4G"})
public class ProjectorBenchmark {
    @Param({"bjorck_8", "bjorck_64", "bjorck_256", "spectral_8", "spectral_64", "spectral_256", "spectral_conv32",
        "region_5pairs", "flexible_5pairs"})
    public String projector;

    private Parameter weight;
    private Constraint constraint;
    private INDArray perturbation;

    @Setup
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(1);
        String[] parts = projector.split("_");
        if (parts[1].equals("5pairs")) {
            double[] pairs = {1.0, 0.3, 1.0, 0.3, 1.0, 0.3, 1.0, 0.3, 1.0, 0.3};
            weight = Parameter.of("h", Tensor.of(DataType.FLOAT, pairs, 5, 2));
            constraint = parts[0].equals("region") ? new NonExpansiveStepRegion(0.5, 2)
                    : FlexibleSwitchingRegion.appendixC(0.5, 2);
        } else if (parts[1].equals("conv32")) {
            weight = Parameter.of("K", Tensor.randn(DataType.FLOAT, rng, 32, 32, 3, 3).div(17));
            constraint = SpectralNormBound.convolution(1.0, ConvGeometry.same(3), 28, 28);
        } else {
            int n = Integer.parseInt(parts[1]);
            weight = Parameter.of("W", io.structflow.core.nn.Init.orthogonal(DataType.FLOAT, rng, n, n).mul(1.2));
            constraint = parts[0].equals("bjorck") ? new BjorckOrthonormalization(20, 1e-6) : SpectralNormBound.dense(1.0);
        }
        weight.constrain(constraint);
        perturbation = Tensor.randn(DataType.FLOAT, rng, weight.shape()).mul(1e-3).value();
        constraint.projectInPlace(weight);
    }

    @Setup(Level.Invocation)
    public void perturb() {
        weight.value().addi(perturbation);
    }

    @Benchmark
    public Parameter project() {
        constraint.projectInPlace(weight);
        return weight;
    }
}
