package io.structflow.benchmarks;

import io.structflow.core.autodiff.GradMode;
import io.structflow.core.autodiff.Tensor;
import java.lang.ref.Cleaner;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.cpu.nativecpu.NDArray;
import org.nd4j.linalg.cpu.nativecpu.buffer.LongBuffer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The parts of one eager tiny op ({@link OpOverheadBenchmark}'s add, matmul and tanh on [256, 8]
 * float32), each timed alone (issue 21): creating the result array the way ND4J does
 * ({@code alloc_nd4j}), with shared shape information as tensor operations now do
 * ({@code alloc_shared_shape_info}), its data buffer alone ({@code alloc_data_buffer}), one
 * {@link Cleaner} registration (what {@code ArrayMemory} adds per array), the op's dispatch through
 * {@code Nd4j.exec} with a new {@code DynamicCustomOp} and context ({@code dispatch_nd4j_exec}), on a
 * reused context with the arrays set and purged after ({@code dispatch_context_reuse}), on a fully
 * prepared context ({@code dispatch_prepared}, a replay), and the whole tensor operation
 * ({@code tensor_op}). Results go to preallocated arrays except in the alloc and tensor cases.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxphysicalbytes=4G"})
public class EagerOpCostBenchmark {
    private static final Cleaner CLEANER = Cleaner.create();

    @Param({"add", "matmul", "tanh"})
    public String op;

    private NativeOps nativeOps;
    private Tensor x;
    private Tensor other;
    private INDArray[] in;
    private INDArray out;
    private long hash;
    private long[] iArgs;
    private double[] tArgs;
    private OpContext reused;
    private OpContext prepared;
    private LongBuffer shapeInfo;
    private long[] javaShapeInfo;
    private GradMode.Scope noGrad;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(1);
        x = Tensor.randn(DataType.FLOAT, r, 256, 8);
        other = op.equals("matmul") ? Tensor.randn(DataType.FLOAT, r, 8, 8) : Tensor.randn(DataType.FLOAT, r, 256, 8);
        nativeOps = NativeOpsHolder.getInstance().getDeviceNativeOps();
        in = op.equals("tanh") ? new INDArray[] {x.value()} : new INDArray[] {x.value(), other.value()};
        out = Nd4j.createUninitialized(DataType.FLOAT, new long[] {256, 8}, 'c');
        hash = Nd4j.getExecutioner().getCustomOperations().get(op).getHash();
        iArgs = op.equals("matmul") ? new long[] {0, 0} : new long[0];
        tArgs = op.equals("matmul") ? new double[] {1.0, 0.0} : new double[0];
        reused = context();
        prepared = context();
        prepared.setInputArrays(in);
        prepared.setOutputArrays(out);
        shapeInfo = (LongBuffer) out.shapeInfoDataBuffer();
        javaShapeInfo = out.shapeInfoJava();
        noGrad = GradMode.noGrad();
    }

    private OpContext context() {
        OpContext c = Nd4j.getExecutioner().buildContext();
        if (iArgs.length > 0) {
            c.setIArguments(iArgs);
        }
        if (tArgs.length > 0) {
            c.setTArguments(tArgs);
        }
        c.allowHelpers(false);
        return c;
    }

    @TearDown
    public void tearDown() throws Exception {
        noGrad.close();
        reused.close();
        prepared.close();
    }

    @Benchmark
    public INDArray alloc_nd4j() {
        return Nd4j.createUninitialized(DataType.FLOAT, new long[] {256, 8}, 'c');
    }

    @Benchmark
    public INDArray alloc_shared_shape_info() {
        return new NDArray(Nd4j.createBuffer(DataType.FLOAT, 2048, false), shapeInfo, javaShapeInfo.clone());
    }

    @Benchmark
    public Object alloc_data_buffer() {
        return Nd4j.createBuffer(DataType.FLOAT, 2048, false);
    }

    @Benchmark
    public Object cleaner_register() {
        Object o = new Object();
        CLEANER.register(o, () -> { });
        return o;
    }

    @Benchmark
    public INDArray dispatch_nd4j_exec() throws Exception {
        DynamicCustomOp.DynamicCustomOpsBuilder b = DynamicCustomOp.builder(op).addInputs(in).addOutputs(out);
        if (tArgs.length > 0) {
            b.addFloatingPointArguments(1.0, 0.0);
            b.addIntegerArguments(0, 0);
        }
        try (OpContext c = context()) {
            c.setInputArrays(in);
            c.setOutputArrays(out);
            Nd4j.getExecutioner().exec(b.build(), c);
        }
        return out;
    }

    @Benchmark
    public INDArray dispatch_context_reuse() {
        for (int i = 0; i < in.length; i++) {
            reused.setInputArray(i, in[i]);
        }
        reused.setOutputArray(0, out);
        nativeOps.execCustomOp2(null, hash, reused.contextPointer());
        reused.purge();
        return out;
    }

    @Benchmark
    public INDArray dispatch_prepared() {
        nativeOps.execCustomOp2(null, hash, prepared.contextPointer());
        return out;
    }

    @Benchmark
    public Tensor tensor_op() {
        return switch (op) {
            case "add" -> x.add(other);
            case "matmul" -> x.matmul(other);
            default -> x.tanh();
        };
    }
}
