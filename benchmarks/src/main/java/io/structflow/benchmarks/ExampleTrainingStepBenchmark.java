package io.structflow.benchmarks;

import io.structflow.core.train.CompiledStep;
import java.util.concurrent.TimeUnit;
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
 * One full training step of each example network ({@link ExampleTraining}): forward, loss,
 * backward (recorded once and replayed by {@link CompiledStep}, as the examples train), the
 * optimiser's update and the constraint projections after it. Case names
 * {@code <network>_train_step}: planar ([CMOSS] Table 1), sir (Fig. 6), sympnet (§4.1),
 * fmnist and fmnist_resnet (§3.3, Fig. 4). PyTorch twins: {@code benchmarks/torch/bench_examples.py}
 * and {@code bench_fmnist.py}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=6G"})
public class ExampleTrainingStepBenchmark {
    @Param({"planar", "sir", "sympnet", "fmnist", "fmnist_resnet"})
    public String network;

    private ExampleTraining.Setup setup;
    private CompiledStep compiled;

    @Setup
    public void setUp() {
        setup = ExampleTraining.of(network, 1);
        compiled = new CompiledStep(setup.model(), setup.loss());
    }

    @Benchmark
    public double train_step() {
        double value = compiled.run(setup.batch());
        setup.optimizer().step();
        return value;
    }
}
