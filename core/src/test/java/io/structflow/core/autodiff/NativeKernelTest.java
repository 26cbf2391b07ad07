package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NativeKernelTest {
    /**
     * A kernel that ran prepared on one set of arrays and then on another must compute on the new
     * arrays every time after, not on the arrays its prepared context was built for.
     */
    @Test
    void switchingArrays_afterPreparing_computesOnTheNewArrays() {
        NativeKernel add = NativeKernel.of("add");
        double[] x = {1, 2};
        INDArray a = Nd4j.create(new double[] {1, 2}, new long[] {2}, 'c');
        INDArray b = Nd4j.create(new double[] {10, 20}, new long[] {2}, 'c');
        INDArray out = Nd4j.zeros(DataType.DOUBLE, 2);
        for (int i = 0; i < 3; i++) {
            add.run(new INDArray[] {a, a}, new INDArray[] {out});
        }
        assertArrayEquals(new double[] {2, 4}, out.toDoubleVector(), 0);
        INDArray c = Nd4j.create(new double[] {100, 200}, new long[] {2}, 'c');
        INDArray out2 = Nd4j.zeros(DataType.DOUBLE, 2);
        for (int i = 0; i < 3; i++) {
            b.addi(1);
            add.run(new INDArray[] {b, c}, new INDArray[] {out2});
            assertArrayEquals(new double[] {111 + i, 221 + i}, out2.toDoubleVector(), 0, "run " + i + " on the new arrays");
        }
        assertArrayEquals(new double[] {2, 4}, out.toDoubleVector(), 0);
        assertArrayEquals(x, a.toDoubleVector(), 0);
    }
}
