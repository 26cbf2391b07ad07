package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Leaky ReLU kernels against the definition, element by element, on random inputs with zeros. */
class LeakyReluKernelTest {
    @ParameterizedTest
    @CsvSource({"FLOAT, 0.5, 60", "FLOAT, 0.2, 60", "FLOAT, 0, 60", "FLOAT, 1.5, 60", "FLOAT, -0.3, 60",
        "FLOAT, 0.5, 20000", "FLOAT, 0.2, 20000", "FLOAT, 1.5, 20000", "FLOAT, -0.3, 20000",
        "DOUBLE, 0.5, 60", "DOUBLE, 0.2, 60", "DOUBLE, 1.5, 60", "DOUBLE, -0.3, 60"})
    void forwardAndBackward_matchTheDefinitionExactly(DataType type, double slope, int n) {
        // float32 at 60 and 20 000 elements (the size does not change the path; both are checked)
        SplittableRandom rng = new SplittableRandom(7);
        double[] z = new double[n];
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = i % 7 == 0 ? 0.0 : rng.nextGaussian() * Math.pow(10, rng.nextInt(-3, 4));
            g[i] = rng.nextGaussian();
        }
        INDArray zs = Nd4j.create(z, new long[] {n / 20, 4, 5}, 'c').castTo(type);
        INDArray gs = Nd4j.create(g, new long[] {n / 20, 4, 5}, 'c').castTo(type);
        INDArray y = Nd4j.createUninitialized(type, new long[] {n / 20, 4, 5}, 'c');
        INDArray dz = Nd4j.createUninitialized(type, new long[] {n / 20, 4, 5}, 'c');
        LeakyReluKernel.forward(slope).run(new INDArray[] {zs}, new INDArray[] {y});
        LeakyReluKernel.backward(slope).run(new INDArray[] {zs, gs}, new INDArray[] {dz});
        double[] zt = zs.dup().castTo(DataType.DOUBLE).data().asDouble();
        double[] gt = gs.dup().castTo(DataType.DOUBLE).data().asDouble();
        double[] yv = y.dup().castTo(DataType.DOUBLE).data().asDouble();
        double[] dv = dz.dup().castTo(DataType.DOUBLE).data().asDouble();
        for (int i = 0; i < n; i++) {
            // the definition, rounded once to the data's type like the kernel's single product a·z
            double a = type == DataType.FLOAT ? (float) slope : slope;
            double expectY = zt[i] > 0 ? zt[i] : round(type, a * zt[i]);
            double expectD = round(type, gt[i] * (zt[i] > 0 ? 1 : round(type, a)));
            assertEquals(expectY, yv[i], 0.0, "σ(" + zt[i] + ")");
            assertEquals(expectD, dv[i], 0.0, "g·σ'(" + zt[i] + ")");
        }
    }

    @Test
    void nonFiniteSlopeAndIntegerData_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> LeakyReluKernel.forward(Double.NaN));
        INDArray ints = Nd4j.createUninitialized(DataType.INT32, new long[] {2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LeakyReluKernel.forward(0.5).run(new INDArray[] {ints}, new INDArray[] {ints.ulike()}));
        assertEquals("leakyRelu: z expected FLOAT or DOUBLE but got INT", e.getMessage());
    }

    private static double round(DataType type, double v) {
        return type == DataType.FLOAT ? (float) v : v;
    }
}
