package io.structflow.benchmarks;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Per-op overhead of eager tensor ops on tiny tensors ([256, 8] float32, no graph recorded). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxphysicalbytes=4G"})
public class OpOverheadBenchmark {
    private Tensor x;
    private Tensor y;
    private Tensor w;
    private GradMode.Scope scope;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(1);
        x = Tensor.randn(DataType.FLOAT, r, 256, 8);
        y = Tensor.randn(DataType.FLOAT, r, 256, 8);
        w = Tensor.randn(DataType.FLOAT, r, 8, 8);
        scope = GradMode.noGrad();
    }

    @Benchmark
    public Tensor op_add_256x8() {
        return x.add(y);
    }

    @Benchmark
    public Tensor op_matmul_256x8x8() {
        return x.matmul(w);
    }

    @Benchmark
    public Tensor op_tanh_256x8() {
        return x.tanh();
    }
}
