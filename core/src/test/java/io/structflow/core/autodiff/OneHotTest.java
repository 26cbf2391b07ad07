package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

/** {@link Tensor#oneHot} against its definition, in a replay, and on bad input. */
class OneHotTest {
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void rows_haveTheirOneAtTheLabel_andAReplayReadsNewLabels(DataType type) {
        int[] labels = {2, 0, 4, 4, 1};
        Replay.Recorded<Tensor> r = Replay.record(() -> Tensor.oneHot(labels, 5, type));
        assertEquals(type, r.result().dtype());
        assertOneHot(labels, 5, r.result().toDoubleArray());
        int[] next = {1, 3, 0, 2, 4};
        System.arraycopy(next, 0, labels, 0, labels.length);
        r.replay().run();
        assertOneHot(next, 5, r.result().toDoubleArray());
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void labelOutOfRange_isNamed(DataType type) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.oneHot(new int[] {0, 3}, 3, type));
        assertTrue(e.getMessage().contains("index[1]") && e.getMessage().contains("3"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"HALF", "INT"})
    void otherTypes_areRefused(DataType type) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.oneHot(new int[] {0}, 2, type));
        assertTrue(e.getMessage().contains("type expected FLOAT or DOUBLE"), e.getMessage());
    }

    private static void assertOneHot(int[] labels, int classes, double[] got) {
        double[] expected = new double[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            expected[i * classes + labels[i]] = 1;
        }
        assertArrayEquals(expected, got, 0);
    }
}
