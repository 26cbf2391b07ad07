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

    /**
     * Arguments changed between runs reach the prepared context: a gemm's alpha and beta (floating
     * point) and its transpose flags (integer), each checked against the product computed by hand.
     */
    @Test
    void changedArguments_onAPreparedContext_areTheOnesUsed() {
        NativeKernel gemm = NativeKernel.of("matmul", new double[] {1.0, 0.0}, new long[] {0, 0});
        INDArray x = Nd4j.create(new double[] {1, 2, 3, 4}, new long[] {2, 2}, 'c');
        INDArray y = Nd4j.create(new double[] {5, 6, 7, 8}, new long[] {2, 2}, 'c');
        INDArray out = Nd4j.zeros(DataType.DOUBLE, 2, 2);
        for (int i = 0; i < 3; i++) {   // the second run prepares the context, the third uses it
            gemm.run(new INDArray[] {x, y}, new INDArray[] {out});
        }
        assertArrayEquals(new double[] {19, 22, 43, 50}, out.data().asDouble(), 0);
        for (double alpha : new double[] {-0.5, 2.0, -0.5}) {
            gemm.setFloatArguments(alpha, 0.0);
            gemm.run(new INDArray[] {x, y}, new INDArray[] {out});
            assertArrayEquals(new double[] {19 * alpha, 22 * alpha, 43 * alpha, 50 * alpha}, out.data().asDouble(), 0,
                    "alpha " + alpha);
        }
        gemm.setFloatArguments(1.0, 1.0);   // out ← x·y + out, out = −0.5·x·y
        gemm.run(new INDArray[] {x, y}, new INDArray[] {out});
        assertArrayEquals(new double[] {9.5, 11, 21.5, 25}, out.data().asDouble(), 0, "beta 1");
        gemm.setFloatArguments(1.0, 0.0);
        gemm.setIntArguments(0, 1);        // x·yᵀ
        gemm.run(new INDArray[] {x, y}, new INDArray[] {out});
        assertArrayEquals(new double[] {17, 23, 39, 53}, out.data().asDouble(), 0, "y transposed");
        gemm.setIntArguments(1, 0);        // xᵀ·y
        gemm.run(new INDArray[] {x, y}, new INDArray[] {out});
        assertArrayEquals(new double[] {26, 30, 38, 44}, out.data().asDouble(), 0, "x transposed");
    }
}
