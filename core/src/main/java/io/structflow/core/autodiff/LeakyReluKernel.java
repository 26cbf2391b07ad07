package io.structflow.core.autodiff;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Leaky ReLU {@code σ(z) = max(z, 0) + a·min(z, 0)} and its backward {@code g ⊙ σ'(z)} as
 * replayable kernels, exact in both element types.
 *
 * <p>libnd4j's {@code lrelu} and {@code lrelu_bp} take the slope as a single-precision argument,
 * which is exact for float32 data but perturbs float64 results by ~1e-8 relative for slopes such
 * as 0.2. For float64 the kernels therefore compose exact native operations with the slope held
 * in a float64 array: {@code σ(z) = a·z + (1 − a)·relu(z)} and
 * {@code g ⊙ σ'(z) = a·g + (1 − a)·relu_bp(z, g)}.
 */
public final class LeakyReluKernel implements Kernel {
    private final double slope;
    private final boolean backward;
    private final NativeKernel single;
    private final NativeKernel[] steps = new NativeKernel[4];
    private INDArray[] temps;

    private LeakyReluKernel(double slope, boolean backward) {
        this.slope = slope;
        this.backward = backward;
        this.single = NativeKernel.of(backward ? "lrelu_bp" : "lrelu", slope);
        steps[0] = NativeKernel.of(backward ? "relu_bp" : "relu", 0.0);
        steps[1] = NativeKernel.of("multiply");
        steps[2] = NativeKernel.of("multiply");
        steps[3] = NativeKernel.of("add");
    }

    /** σ(z): inputs {z}, output {σ(z)}. */
    public static LeakyReluKernel forward(double slope) {
        return new LeakyReluKernel(slope, false);
    }

    /** g ⊙ σ'(z): inputs {z, g}, output {g ⊙ σ'(z)}. */
    public static LeakyReluKernel backward(double slope) {
        return new LeakyReluKernel(slope, true);
    }

    /** Runs now, recorded if a {@link Replay} is open. */
    public void exec(INDArray[] in, INDArray... out) {
        Replay.exec(this, in, out);
    }

    @Override
    public void run(INDArray[] in, INDArray[] out) {
        if (in[0].dataType() != DataType.DOUBLE) {
            single.run(in, out);
            return;
        }
        INDArray linear = backward ? in[1] : in[0];
        if (temps == null || temps[0].dataType() != DataType.DOUBLE || !java.util.Arrays.equals(temps[0].shape(), out[0].shape())) {
            temps = new INDArray[] {Nd4j.createUninitialized(DataType.DOUBLE, out[0].shape(), 'c'),
                Nd4j.createUninitialized(DataType.DOUBLE, out[0].shape(), 'c'),
                Nd4j.createUninitialized(DataType.DOUBLE, out[0].shape(), 'c'),
                Nd4j.scalar(DataType.DOUBLE, 1.0 - slope), Nd4j.scalar(DataType.DOUBLE, slope)};
        }
        steps[0].run(in, new INDArray[] {temps[0]});
        steps[1].run(new INDArray[] {temps[0], temps[3]}, new INDArray[] {temps[1]});
        steps[2].run(new INDArray[] {linear, temps[4]}, new INDArray[] {temps[2]});
        steps[3].run(new INDArray[] {temps[1], temps[2]}, out);
    }
}
