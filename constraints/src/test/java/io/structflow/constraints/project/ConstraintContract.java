package io.structflow.constraints.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Constraint;
import io.structflow.core.nn.Parameter;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@link Constraint} contract on random inputs: the projection lands in the set (violation
 * 0), is idempotent bit for bit, is the identity inside the set, keeps the storage, and refuses
 * non-finite values and wrong shapes. Subclasses supply the constraint and the points.
 */
abstract class ConstraintContract {
    static final int TRIALS = 20;

    /** A fresh constraint (stateful estimators are not shared between tests). */
    abstract Constraint constraint();

    /** A random parameter, mostly outside the set, of the given type. */
    abstract Parameter randomParameter(long seed, DataType type);

    /** A parameter of a shape the constraint must refuse. */
    abstract Parameter wrongShape();

    @Test
    void project_randomPoints_landInsideAndTwiceChangesNothing() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            int outside = 0;
            for (long seed = 0; seed < TRIALS; seed++) {
                Constraint c = constraint();
                Parameter p = randomParameter(seed, type).constrain(c);
                if (c.violation(p) > 0) {
                    outside++;
                }
                INDArray storage = p.value();
                p.projectInPlace();
                assertTrue(storage == p.value(), "storage identity kept");
                assertEquals(0.0, c.violation(p), c.describe() + " after projection, seed " + seed + " " + type);
                double[] once = p.toDoubleArray();
                p.projectInPlace();
                assertArrayEquals(once, p.toDoubleArray(), c.describe() + " not idempotent, seed " + seed + " " + type);
            }
            assertTrue(outside >= TRIALS / 2, "the random points should mostly start outside, got " + outside);
        }
    }

    @Test
    void project_insidePoint_isIdentity() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (long seed = 0; seed < TRIALS; seed++) {
                Constraint c = constraint();
                Parameter p = randomParameter(100 + seed, type).constrain(c);
                p.projectInPlace();
                double[] inside = p.toDoubleArray();
                Constraint fresh = constraint();
                Parameter q = new Parameter("q", p.value().dup('c')).constrain(fresh);
                assertEquals(0.0, fresh.violation(q));
                q.projectInPlace();
                assertArrayEquals(inside, q.toDoubleArray(), fresh.describe() + " moved an inside point");
            }
        }
    }

    @Test
    void project_nonFinite_throwsArithmeticNamingParameter() {
        Constraint c = constraint();
        Parameter p = randomParameter(7, DataType.DOUBLE).constrain(c);
        INDArray bad = p.value().dup('c');
        bad.putScalar(0, Double.NaN);
        p.updateInPlace(bad);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> c.projectInPlace(p));
        assertTrue(e.getMessage().contains(p.name()) && e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void validate_wrongShape_throwsIllegalArgumentNamingShape() {
        Parameter p = wrongShape();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.constrain(constraint()));
        assertTrue(e.getMessage().contains(p.name()), e.getMessage());
    }

    static Parameter param(String name, Tensor t, DataType type) {
        return new Parameter(name, t.value().castTo(type).dup('c'));
    }
}
