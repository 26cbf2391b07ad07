package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EagerContextsTest {
    private static final DataType D = DataType.DOUBLE;

    /** The values in row-major order, whatever the array's own order. */
    private static double[] values(INDArray a) {
        return a.dup('c').data().asDouble();
    }

    private static INDArray randn(SplittableRandom rng, long... shape) {
        return Tensor.randnArray(D, rng, shape);
    }

    /**
     * Interleaved eager runs of several op forms on one thread, each on new arrays (so every run
     * goes through the thread's reused context of its form), give exactly what ND4J's own
     * operations give: no run sees another form's arguments or the previous run's arrays.
     */
    @Test
    void interleavedForms_onNewArrays_equalNd4jExactly() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int run = 0; run < 5; run++) {
            INDArray a = randn(rng, 5, 4);
            INDArray b = randn(rng, 5, 4);
            INDArray c = randn(rng, 4, 5);
            for (int ta = 0; ta < 2; ta++) {
                for (int tb = 0; tb < 2; tb++) {
                    INDArray left = ta == 1 ? c : a;
                    INDArray right = tb == 1 ? a : c;
                    INDArray out = Nd4j.zeros(D, 5, 5);
                    double alpha = 0.5 + run;
                    NativeKernel.of("matmul", new double[] {alpha, 0.0}, new long[] {ta, tb})
                            .run(new INDArray[] {left, right}, new INDArray[] {out});
                    INDArray l = ta == 1 ? left.transpose() : left;
                    INDArray r = tb == 1 ? right.transpose() : right;
                    assertArrayEquals(values(l.mmul(r).mul(alpha)), values(out), 1e-14,
                            "matmul run " + run + " transposes " + ta + tb);
                }
            }
            INDArray sum = Nd4j.zeros(D, 5, 4);
            NativeKernel.of("add").run(new INDArray[] {a, b}, new INDArray[] {sum});
            assertArrayEquals(values(a.add(b)), values(sum), 0.0);
            INDArray rows = Nd4j.zeros(D, 4);
            NativeKernel.of("reduce_sum", new double[0], new long[] {0}).run(new INDArray[] {b}, new INDArray[] {rows});
            assertArrayEquals(values(b.sum(0)), values(rows), 1e-15);
            INDArray cols = Nd4j.zeros(D, 5);
            NativeKernel.of("reduce_sum", new double[0], new long[] {1}).run(new INDArray[] {b}, new INDArray[] {cols});
            assertArrayEquals(values(b.sum(1)), values(cols), 1e-15);
            INDArray t = Nd4j.zeros(D, 5, 4);
            NativeKernel.of("tanh").run(new INDArray[] {a}, new INDArray[] {t});
            assertArrayEquals(values(Nd4j.math().tanh(a.dup())), values(t), 0.0);
        }
    }

    /** More forms than the cache keeps: it is emptied and refilled, and every result stays right. */
    @Test
    void moreFormsThanKept_resultsStayExact() {
        SplittableRandom rng = new SplittableRandom(4);
        INDArray x = randn(rng, 2, 1, 2);
        for (int i = 0; i < EagerContexts.MAX_FORMS + 20; i++) {
            // integer arguments that differ from run to run: a new form each time
            int r1 = 1 + i % 7;
            int r2 = 1 + (i / 7) % 7;
            int r3 = 1 + i / 49;
            INDArray out = Nd4j.zeros(D, 2 * r1, r2, 2 * r3);
            NativeKernel.of("tile", new double[0], new long[] {r1, r2, r3}).run(new INDArray[] {x}, new INDArray[] {out});
            assertArrayEquals(values(Nd4j.tile(x, r1, r2, r3)), values(out), 0.0, "run " + i);
        }
    }

    /** A run libnd4j rejects throws, naming the op, and leaves the form's context usable. */
    @Test
    void failingRun_throwsNamingTheOp_andTheNextRunIsRight() {
        INDArray a = Nd4j.ones(D, 2, 3);
        INDArray wrong = Nd4j.ones(D, 4, 5);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NativeKernel.of("matmul", new double[] {1.0, 0.0}, new long[] {0, 0})
                        .run(new INDArray[] {a, wrong}, new INDArray[] {Nd4j.zeros(D, 2, 5)}));
        assertTrue(e.getMessage().contains("matmul"), e.getMessage());
        INDArray b = Nd4j.ones(D, 3, 5);
        INDArray out = Nd4j.zeros(D, 2, 5);
        NativeKernel.of("matmul", new double[] {1.0, 0.0}, new long[] {0, 0}).run(new INDArray[] {a, b}, new INDArray[] {out});
        assertArrayEquals(values(a.mmul(b)), values(out), 0.0);
    }
}
