package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class TensorSumTest {
    /** 2²⁰ float32 values of mixed sign and magnitude: a float32 running sum would lose several digits. */
    private static Tensor largeFloatTensor() {
        SplittableRandom r = new SplittableRandom(5);
        double[] v = new double[1 << 20];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((r.nextDouble() - 0.3) * Math.pow(10, r.nextInt(4)));
        }
        return Tensor.of(DataType.FLOAT, v, 64, 128, 128);
    }

    @Test
    void floatSumOverManyElements_isTheDoubleSumRoundedOnce() {
        Tensor x = largeFloatTensor();
        double exact = 0;
        for (double v : x.toDoubleArray()) {
            exact += v;   // float32 values summed in double: error ~1e-16 relative, far below float32's rounding
        }
        assertEquals((float) exact, x.sum().value().getFloat(0), Math.ulp((float) exact));
    }

    @Test
    void replayedFloatSum_allocatesNothingPerRun() {
        Tensor x = largeFloatTensor();
        Replay replay = Replay.record(x::sum).replay();
        for (int i = 0; i < 3; i++) {
            replay.run();
        }
        long before = Pointer.physicalBytes();
        for (int i = 0; i < 100; i++) {
            replay.run();   // a double copy per run would add 8 MiB each time, 800 MiB in all
        }
        long grown = Pointer.physicalBytes() - before;
        assertTrue(grown < 64L << 20, "resident memory grew by " + (grown >> 20) + " MiB over 100 replays");
    }
}
