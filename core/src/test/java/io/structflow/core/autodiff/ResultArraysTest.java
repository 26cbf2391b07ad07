package io.structflow.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ResultArraysTest {
    @Test
    void create_sameTypeAndShape_sharesShapeInformationButNeverData() {
        long[] shape = {5, 3, 2};
        INDArray first = ResultArrays.create(DataType.FLOAT, shape);
        INDArray a = ResultArrays.create(DataType.FLOAT, shape);
        INDArray b = ResultArrays.create(DataType.FLOAT, shape.clone());
        INDArray ordinary = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        assertSame(a.shapeInfoDataBuffer(), b.shapeInfoDataBuffer(), "one shape-info buffer per type and shape");
        assertNotEquals(a.data().address(), b.data().address(), "every array has its own data");
        assertNotEquals(first.data().address(), a.data().address());
        for (INDArray x : new INDArray[] {a, b}) {
            assertArrayEquals(ordinary.shapeInfoJava(), x.shapeInfoJava(), "same shape information as ND4J's own array");
            assertEquals(DataType.FLOAT, x.dataType());
            assertEquals('c', x.ordering());
            assertFalse(x.isView());
            assertEquals(30, x.length());
        }
        a.assign(1.5);
        b.assign(-2.0);
        assertEquals(30 * 1.5, a.sumNumber().doubleValue(), 0.0);
        assertEquals(-60.0, b.sumNumber().doubleValue(), 0.0);
    }

    @Test
    void create_closingOneArray_leavesAnotherOfTheSameShapeIntact() {
        long[] shape = {4, 7};
        INDArray a = ResultArrays.create(DataType.DOUBLE, shape);
        INDArray b = ResultArrays.create(DataType.DOUBLE, shape);
        b.assign(Nd4j.linspace(DataType.DOUBLE, 1, 28, 1).reshape(4, 7));
        a.close();
        assertTrue(a.wasClosed());
        INDArray c = ResultArrays.create(DataType.DOUBLE, shape);
        c.assign(b.mul(2));
        assertEquals(28 * 29 / 2.0, b.sumNumber().doubleValue(), 0.0);
        assertEquals(28 * 29, c.sumNumber().doubleValue(), 0.0);
        assertEquals(7 * 2, c.getDouble(0, 6), 0.0);
        assertArrayEquals(new long[] {7, 1}, c.stride());
    }

    /** Tensor operations on shared-shape-info results give bit for bit what ND4J's own ops give. */
    @Test
    void tensorOps_onResultArrays_equalNd4jExactly() {
        SplittableRandom rng = new SplittableRandom(7);
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Tensor x = Tensor.randn(t, rng, 6, 4);
            Tensor y = Tensor.randn(t, rng, 6, 4);
            Tensor w = Tensor.randn(t, rng, 4, 3);
            Tensor sum = x.add(y);
            Tensor chain = sum.exp().matmul(w).sum(false, 0).mul(0.5);
            assertArrayEquals(x.value().add(y.value()).data().asDouble(), sum.value().data().asDouble(), 0.0);
            INDArray expected = Nd4j.math().exp(x.value().add(y.value())).mmul(w.value()).sum(0).mul(0.5);
            assertArrayEquals(expected.data().asDouble(), chain.value().data().asDouble(), 0.0, t.toString());
            assertArrayEquals(new long[] {3}, chain.shape());
        }
    }

    @Test
    void create_emptyShape_isMadeTheOrdinaryWay() {
        INDArray e = ResultArrays.create(DataType.FLOAT, new long[] {0, 3});
        assertTrue(e.isEmpty());
        INDArray scalar = ResultArrays.create(DataType.FLOAT, new long[0]);
        INDArray scalar2 = ResultArrays.create(DataType.FLOAT, new long[0]);
        scalar.assign(3);
        scalar2.assign(4);
        assertEquals(0, scalar2.rank());
        assertEquals(3.0, scalar.getDouble(0), 0.0);
        assertEquals(4.0, scalar2.getDouble(0), 0.0);
    }

    /**
     * A reshaped view reads the same elements as ND4J's reshape, for whole arrays and for row
     * slices (whose offset ND4J keeps in the data buffer), writes through to the array, and is
     * refused for arrays that are not one row-major block.
     */
    @Test
    void reshaped_readsAndWritesTheSameElementsAsNd4jsReshape_andRefusesStridedArrays() {
        INDArray base = Nd4j.create(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
            20, 21, 22, 23}, new long[] {4, 6}, DataType.FLOAT);
        INDArray rows = base.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 4),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        for (INDArray a : new INDArray[] {base, rows}) {
            long[] shape = {a.length() / 3, 3};
            INDArray view = ResultArrays.reshaped(a, shape);
            assertArrayEquals(shape, view.shape());
            assertArrayEquals(a.reshape('c', shape).data().asDouble(), view.dup('c').data().asDouble(), 0.0);
            assertSame(a.data(), view.data(), "a view, not a copy");
        }
        assertEquals(12.0, ResultArrays.reshaped(rows, new long[] {12}).getDouble(0), 0.0);
        ResultArrays.reshaped(rows, new long[] {3, 4}).putScalar(new long[] {2, 3}, -1);
        assertEquals(-1.0, base.getDouble(3, 5), 0.0, "writes reach the array's storage");
        assertEquals(null, ResultArrays.reshaped(base.transpose(), new long[] {24}), "column-major view");
        assertEquals(null, ResultArrays.reshaped(base.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)), new long[] {8}), "strided columns");
        assertEquals(null, ResultArrays.reshaped(base, new long[] {5, 5}), "another length");
    }

    @Test
    void scalar_isSharedPerTypeAndValue_andHoldsTheRoundedValue() {
        assertSame(ResultArrays.scalar(DataType.FLOAT, 0.1), ResultArrays.scalar(DataType.FLOAT, 0.1));
        assertNotEquals(ResultArrays.scalar(DataType.FLOAT, 0.1), ResultArrays.scalar(DataType.DOUBLE, 0.1));
        assertEquals((double) 0.1f, ResultArrays.scalar(DataType.FLOAT, 0.1).getDouble(0), 0.0);
        assertEquals(0.1, ResultArrays.scalar(DataType.DOUBLE, 0.1).getDouble(0), 0.0);
        assertEquals(0, ResultArrays.scalar(DataType.DOUBLE, 0.1).rank());
        assertEquals(Double.doubleToRawLongBits(-0.0),
                Double.doubleToRawLongBits(ResultArrays.scalar(DataType.DOUBLE, -0.0).getDouble(0)));
        assertEquals(Double.doubleToRawLongBits(0.0),
                Double.doubleToRawLongBits(ResultArrays.scalar(DataType.DOUBLE, 0.0).getDouble(0)));
    }

    /** broadcastTo against its definition, element by element, for leading, inner and trailing axes. */
    @Test
    void broadcastTo_copiesEachSourceElementAlongTheBroadcastAxes() {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor row = Tensor.randn(DataType.DOUBLE, rng, 1, 4);
        Tensor column = Tensor.randn(DataType.DOUBLE, rng, 3, 1);
        Tensor vector = Tensor.randn(DataType.DOUBLE, rng, 4);
        INDArray r = row.broadcastTo(2, 3, 4).value();
        INDArray c = column.broadcastTo(3, 4).value();
        INDArray v = vector.broadcastTo(3, 4).value();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(row.value().getDouble(0, j), r.getDouble(1, i, j), 0.0);
                assertEquals(row.value().getDouble(0, j), r.getDouble(0, i, j), 0.0);
                assertEquals(column.value().getDouble(i, 0), c.getDouble(i, j), 0.0);
                assertEquals(vector.value().getDouble(j), v.getDouble(i, j), 0.0);
            }
        }
    }
}
