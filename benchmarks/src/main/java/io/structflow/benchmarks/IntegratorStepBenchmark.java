package io.structflow.benchmarks;

import io.structflow.core.autodiff.Autograd;
import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Activation;
import io.structflow.integrators.Integrator;
import io.structflow.integrators.VectorField;
import io.structflow.integrators.rungekutta.ExplicitEuler;
import io.structflow.integrators.rungekutta.ExplicitRungeKutta;
import io.structflow.integrators.rungekutta.ImplicitMidpoint;
import io.structflow.integrators.symplectic.StormerVerlet;
import io.structflow.integrators.symplectic.SymplecticEuler;
import io.structflow.layers.fields.MlpField;
import io.structflow.layers.fields.SeparableHamiltonianField;
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
 * One step of each integrator on a 64-dimensional field at batch 256, forward and forward +
 * backward: the explicit Runge–Kutta family and implicit midpoint on an MLP field, symplectic
 * Euler and Störmer–Verlet on a separable Hamiltonian field of the same dimension.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxphysicalbytes=4G"})
public class IntegratorStepBenchmark {
    @Param({"euler", "heun", "rk4", "implicit_midpoint", "symplectic_euler", "stormer_verlet"})
    public String method;

    private VectorField field;
    @SuppressWarnings("rawtypes")
    private Integrator integrator;
    private Tensor x;
    private Tensor h;

    @Setup
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(1);
        DataType t = DataType.FLOAT;
        boolean hamiltonian = method.equals("symplectic_euler") || method.equals("stormer_verlet");
        field = hamiltonian ? new SeparableHamiltonianField(64, 64, Activation.tanh(), t, rng)
                : new MlpField(64, 64, Activation.tanh(), t, rng);
        integrator = switch (method) {
            case "euler" -> new ExplicitEuler();
            case "heun" -> ExplicitRungeKutta.heun();
            case "rk4" -> ExplicitRungeKutta.rk4();
            case "implicit_midpoint" -> new ImplicitMidpoint();
            case "symplectic_euler" -> new SymplecticEuler();
            case "stormer_verlet" -> new StormerVerlet();
            default -> throw new IllegalArgumentException("method: unknown " + method);
        };
        x = Tensor.variable(Tensor.randn(t, rng, 256, 64).mul(0.5).value());
        h = Tensor.scalar(0.05, t);
    }

    @SuppressWarnings("unchecked")
    @Benchmark
    public Tensor step_forward() {
        try (GradMode.Scope s = GradMode.noGrad()) {
            return integrator.step(field, x, h);
        }
    }

    @SuppressWarnings("unchecked")
    @Benchmark
    public Tensor[] step_forward_backward() {
        Tensor y = integrator.step(field, x, h);
        return Autograd.grad(y.sum(), false, x);
    }
}
